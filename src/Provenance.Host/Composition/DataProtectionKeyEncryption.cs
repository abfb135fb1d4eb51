using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// Encrypts the data-protection key ring at rest (the keys behind antiforgery tokens) with AES-256-GCM under a key
/// derived from the server secret, so the files in <c>data/data-protection-keys</c> are useless without it.
/// </summary>
internal sealed class DataProtectionKeyEncryptor(ServerSecret secret) : IXmlEncryptor
{
    public const string Purpose = "data-protection-keys/v1";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(secret.Derive(Purpose), tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under a key derived from the Provenance server secret "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(DataProtectionKeyDecryptor));
    }
}

/// <summary>The reverse of <see cref="DataProtectionKeyEncryptor"/>; created by the data-protection system with the service provider.</summary>
internal sealed class DataProtectionKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var nonce = Convert.FromBase64String((string?)encryptedElement.Element("nonce") ?? string.Empty);
        var tag = Convert.FromBase64String((string?)encryptedElement.Element("tag") ?? string.Empty);
        var ciphertext = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? string.Empty);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(services.GetRequiredService<ServerSecret>().Derive(DataProtectionKeyEncryptor.Purpose), tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
