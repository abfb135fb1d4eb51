using System.Security.Cryptography;
using System.Text;
using Provenance.Api.Alerts;

namespace Provenance.Api.Tests.Alerts;

/// <summary>The webhook signature a producer's system checks: HMAC-SHA256 over "t.body", with replay tolerance.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "a-webhook-secret-of-some-length";
    private static readonly byte[] Body = "{\"kind\":\"diverted\",\"gtin\":\"09506000134352\"}"u8.ToArray();
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void The_signature_is_hmac_sha256_of_the_timestamp_a_dot_and_the_body_as_the_receiver_recomputes_it()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1800000000.").Concat(Body).ToArray()));
        Assert.Equal($"t=1800000000,v1={expected}", header);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_changed_body_another_secret_or_a_stale_timestamp_fails()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        var tampered = Body.ToArray();
        tampered[^2] ^= 1;

        Assert.False(WebhookSignature.Verify(Secret, header, tampered, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-of-some-length", header, Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "t=1800000000", Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, null, Body, Now, TimeSpan.FromMinutes(5)));
    }
}
