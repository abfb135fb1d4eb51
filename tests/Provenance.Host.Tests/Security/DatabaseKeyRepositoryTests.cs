using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;
using Provenance.Storage;

namespace Provenance.Host.Tests.Security;

/// <summary>The data-protection key ring in the database, and the one-time copy of an earlier release's key files.</summary>
public sealed class DatabaseKeyRepositoryTests
{
    [Fact]
    public void Key_files_of_an_earlier_release_are_copied_in_once_and_new_keys_go_to_the_database()
    {
        using var dir = new TempDirectory("prov-dpkeys");
        var legacy = Directory.CreateDirectory(dir.Combine("data", "data-protection-keys")).FullName;
        File.WriteAllText(Path.Combine(legacy, "key-1.xml"), "<key id=\"1\"><encryptedKey>a</encryptedKey></key>");
        File.WriteAllText(Path.Combine(legacy, "key-2.xml"), "<key id=\"2\"><encryptedKey>b</encryptedKey></key>");
        var database = TestStorage.Open(dir.Combine("data"));
        var store = new DataProtectionKeyStore(database);

        var repository = new DatabaseKeyRepository(store, legacy, NullLogger<DatabaseKeyRepository>.Instance);
        Assert.Equal(["1", "2"], repository.GetAllElements().Select(e => (string?)e.Attribute("id")));

        repository.StoreElement(new XElement("key", new XAttribute("id", "3")), "key-3");
        File.WriteAllText(Path.Combine(legacy, "key-4.xml"), "<key id=\"4\" />");
        var restarted = new DatabaseKeyRepository(store, legacy, NullLogger<DatabaseKeyRepository>.Instance);
        Assert.Equal(["1", "2", "3"], restarted.GetAllElements().Select(e => (string?)e.Attribute("id")));
    }
}
