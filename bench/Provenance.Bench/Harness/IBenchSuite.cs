namespace Provenance.Bench.Harness;

/// <summary>One hot path measured against its raw baseline in the same run.</summary>
public interface IBenchSuite
{
    /// <summary>The name used by <c>--only</c>.</summary>
    string Name { get; }

    /// <summary>Every name <c>--only</c> runs this suite for (a suite measuring several rows that share their set-up).</summary>
    IReadOnlyList<string> Names => [Name];

    Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken);
}
