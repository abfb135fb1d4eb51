using System.Text.Json;
using Provenance.Core.Nfc;

namespace Provenance.FirmwareSim.Cli;

/// <summary>Reads the cap encoding file that <c>provenance tags issue --nfc</c> writes for the encoding station.</summary>
public static class NfcChipFile
{
    /// <summary>Loads and checks the file; throws <see cref="CommandLineException"/> naming <c>--nfc-chips</c>.</summary>
    public static NfcEncodingFile Load(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllText(path), NfcJsonContext.Default.NfcEncodingFile);
            return file is { Format: NfcEncodingFile.CurrentFormat, Chips.Count: > 0 } && file.Chips.All(c => NfcUid.IsValid(c.Uid) && c.Keys.Count == 5)
                ? file
                : throw new CommandLineException("nfc-chips", $"'{path}' is not a {NfcEncodingFile.CurrentFormat} file with chips");
        }
        catch (JsonException e)
        {
            throw new CommandLineException("nfc-chips", $"'{path}' is not a {NfcEncodingFile.CurrentFormat} file: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException("nfc-chips", $"cannot read '{path}': {e.Message}");
        }
    }
}
