using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea.Internal;

/// <summary>
/// The last latitude or longitude field parsed and its value. A receiver repeats its position in the GGA, RMC and GNS
/// of one epoch, and a gateway at a bottling line sends the same position epoch after epoch, so the exact decimal
/// conversion in <see cref="NmeaFields.TryParseCoordinate"/> runs once per change rather than once per sentence.
/// </summary>
internal sealed class CoordinateCache(bool latitude)
{
    private readonly byte[] _text = new byte[24];
    private int _length = -1;
    private byte _hemisphere;
    private bool _parsed;
    private double _degrees;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryParse(ReadOnlySpan<byte> value, ReadOnlySpan<byte> hemisphere, out double degrees)
    {
        if (_length >= 0 && hemisphere.Length == 1 && hemisphere[0] == _hemisphere && value.SequenceEqual(_text.AsSpan(0, _length)))
        {
            degrees = _degrees;
            return _parsed;
        }

        var parsed = NmeaFields.TryParseCoordinate(value, hemisphere, latitude, out degrees);
        if (hemisphere.Length == 1 && value.Length <= _text.Length)
        {
            value.CopyTo(_text);
            _length = value.Length;
            _hemisphere = hemisphere[0];
            _parsed = parsed;
            _degrees = degrees;
        }

        return parsed;
    }
}
