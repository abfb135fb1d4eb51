namespace Provenance.Core.Nmea;

/// <summary>
/// One checksum-verified NMEA 0183 sentence, e.g. <c>$GNGGA,...*4A</c>. Fields are exposed as spans over the
/// sentence text, so reading them allocates nothing. Immutable and thread-safe.
/// </summary>
public sealed class NmeaSentence
{
    private readonly string _body;
    private readonly int[] _commas;

    internal NmeaSentence(string body, int[] commas, Talker talker, string talkerId, string type)
    {
        _body = body;
        _commas = commas;
        Talker = talker;
        TalkerId = talkerId;
        Type = type;
    }

    /// <summary>The talker, e.g. <see cref="Talker.GN"/>; <see cref="Talker.Proprietary"/> for <c>$P...</c>.</summary>
    public Talker Talker { get; }

    /// <summary>The talker letters as sent (<c>GN</c>, <c>BD</c>, <c>P</c> for proprietary, or whatever an odd receiver sent).</summary>
    public string TalkerId { get; }

    /// <summary>The sentence type after the talker, e.g. <c>GGA</c>, <c>RSTAT</c>; for proprietary sentences the rest of the address.</summary>
    public string Type { get; }

    /// <summary>The address field, e.g. <c>GNGGA</c>.</summary>
    public ReadOnlySpan<char> Address => _body.AsSpan(0, _commas.Length > 0 ? _commas[0] : _body.Length);

    /// <summary>The number of data fields after the address.</summary>
    public int FieldCount => _commas.Length;

    /// <summary>The sentence text between <c>$</c> and <c>*</c>.</summary>
    public string Body => _body;

    /// <summary>Data field <paramref name="index"/> (0 is the first field after the address); empty when out of range.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        if ((uint)index >= (uint)_commas.Length)
        {
            return [];
        }

        var start = _commas[index] + 1;
        var end = index + 1 < _commas.Length ? _commas[index + 1] : _body.Length;
        return _body.AsSpan(start, end - start);
    }

    internal ReadOnlySpan<int> Commas => _commas;

    /// <summary>Data field <paramref name="index"/> as a new string (allocates; prefer <see cref="Field"/>).</summary>
    public string FieldText(int index) => Field(index).ToString();

    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"${_body}*{NmeaChecksum.Compute(_body):X2}");
}
