using System.Numerics;
using System.Security.Cryptography;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class SignerTests
{
    [Fact]
    public async Task Ten_thousand_signatures_are_all_strict_DER_all_low_S_and_all_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sign = Signers.NewPrivateKeySigner(key);

        for (var i = 0; i < 10_000; i++)
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var signature = await sign(digest, default);

            Assert.True(PeerChecks.TryDecodeDer(signature, out _, out var s), $"signature {i} is not strict DER");
            Assert.True(PeerChecks.IsLowS(s), $"signature {i} has a high S");
            Assert.True(key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence), $"signature {i} does not verify");
        }
    }

    [Fact]
    public void Raw_dotnet_ECDSA_signatures_have_a_high_S_about_half_the_time_which_is_why_we_normalise()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const int Count = 2_000;

        var high = Enumerable.Range(0, Count).Count(i =>
        {
            var der = key.SignHash(SHA256.HashData(BitConverter.GetBytes(i)), DSASignatureFormat.Rfc3279DerSequence);
            Assert.True(PeerChecks.TryDecodeDer(der, out _, out var s));
            return !PeerChecks.IsLowS(s);
        });

        Assert.InRange(high, Count * 4 / 10, Count * 6 / 10);
    }

    [Fact]
    public void Normalising_a_high_S_signature_gives_n_minus_s_and_it_still_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var digest = SHA256.HashData("provenance"u8);
        var order = EcdsaSignature.CurveOrder(key);
        byte[] p1363;
        BigInteger rawS;
        do
        {
            p1363 = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            rawS = new BigInteger(p1363.AsSpan(32), isUnsigned: true, isBigEndian: true);
        }
        while (EcdsaSignature.IsLowS(rawS, order));

        var der = EcdsaSignature.P1363ToLowSDer(p1363, order);
        var (_, s) = EcdsaSignature.DecodeDer(der);

        Assert.Equal(order - rawS, s);
        Assert.True(key.VerifyHash(digest, der, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("sec1")]
    public async Task A_signer_can_be_made_from_a_PKCS8_or_SEC1_PEM_key(string format)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = format == "pkcs8" ? key.ExportPkcs8PrivateKeyPem() : key.ExportECPrivateKeyPem();
        var sign = Signers.NewPrivateKeySigner(pem);
        var digest = SHA256.HashData("x"u8);

        var signature = await sign(digest, default);

        Assert.True(key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void A_PEM_without_an_EC_key_is_refused_with_the_expected_formats_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Signers.NewPrivateKeySigner("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));

        Assert.Contains("PKCS#8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transaction_id_is_the_hex_SHA256_of_nonce_then_creator()
    {
        using var credentials = TestCredentials.Create();
        var creator = credentials.Identity.Serialize();

        var context = TransactionContext.Create(creator);

        Assert.Equal(24, context.Nonce.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. context.Nonce, .. creator])), context.TransactionId);
    }

    [Fact]
    public void The_serialised_identity_is_msp_id_then_certificate_PEM()
    {
        using var credentials = TestCredentials.Create("Org9MSP");

        var identity = Protos.Msp.SerializedIdentity.Parser.ParseFrom(credentials.Identity.Serialize());

        Assert.Equal("Org9MSP", identity.Mspid);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", identity.IdBytes.ToStringUtf8(), StringComparison.Ordinal);
    }
}
