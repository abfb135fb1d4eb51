namespace Provenance.Bench.Harness;

/// <summary>One hot path measured against its raw baseline in the same run.</summary>
public interface IBenchSuite
{
    /// <summary>The name used by <c>--only</c>.</summary>
    string Name { get; }

    Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken);
}
