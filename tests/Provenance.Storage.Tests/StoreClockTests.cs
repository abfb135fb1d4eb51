using System.Security.Cryptography;

namespace Provenance.Storage.Tests;

/// <summary>The stores stamp rows with the database's <see cref="TimeProvider"/>, not the machine clock.</summary>
public sealed class StoreClockTests : IDisposable
{
    private static readonly DateTimeOffset Then = new(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("prov-clock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Api_keys_are_created_rotated_and_revoked_at_the_time_the_clock_gives()
    {
        var clock = new SettableClock(Then);
        var keys = new ApiKeyStore(TestStorage.Open(_directory, clock), ServerSecret.FromBytes(RandomNumberGenerator.GetBytes(32)));

        var (id, _) = keys.Create("producer", null, "clock test");
        clock.Now = Then.AddDays(1);
        keys.Rotate(id);
        clock.Now = Then.AddDays(2);
        keys.Revoke(id);

        var info = keys.Get(id)!;
        Assert.Equal((Then, Then.AddDays(1), Then.AddDays(2)), (info.CreatedAt, info.RotatedAt!.Value, info.RevokedAt!.Value));
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
