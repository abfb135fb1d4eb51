using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// The data-protection key ring in the database (<see cref="DataProtectionKeyStore"/>), shared by every instance on it.
/// Installations that kept the keys as files in <c>DATA/data-protection-keys</c> (earlier releases) get
/// those files copied in once, when the database holds no key yet, so tokens issued before the upgrade stay valid.
/// </summary>
internal sealed partial class DatabaseKeyRepository(DataProtectionKeyStore store, string legacyDirectory, ILogger<DatabaseKeyRepository> logger) : IXmlRepository
{
    private readonly Lock _import = new();
    private bool _imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportLegacyFilesOnce();
        return [.. store.All().Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }

    private void ImportLegacyFilesOnce()
    {
        lock (_import)
        {
            if (_imported)
            {
                return;
            }

            _imported = true;
            if (!Directory.Exists(legacyDirectory) || store.All().Count > 0)
            {
                return;
            }

            var imported = 0;
            foreach (var file in Directory.EnumerateFiles(legacyDirectory, "*.xml").Order(StringComparer.Ordinal))
            {
                var element = XElement.Load(file);
                if (store.Add(Path.GetFileNameWithoutExtension(file), element.ToString(SaveOptions.DisableFormatting)))
                {
                    imported++;
                }
            }

            if (imported > 0)
            {
                LogImported(imported, legacyDirectory);
            }
        }
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Information, Message = "Copied {Count} data-protection key(s) from {Directory} into the database; the directory is no longer read and may be removed")]
    private partial void LogImported(int count, string directory);
}
