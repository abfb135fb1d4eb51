namespace Provenance.Core.Nmea;

/// <summary>Why a line is not a valid NMEA 0183 sentence.</summary>
public enum NmeaParseError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The text does not start with <c>$</c>.</summary>
    NoStartDelimiter,

    /// <summary>The address (talker and type) is missing or not upper-case letters and digits.</summary>
    InvalidAddress,

    /// <summary>There is no <c>*HH</c> checksum: a truncated sentence, or a receiver that omits it.</summary>
    MissingChecksum,

    /// <summary>The characters after <c>*</c> are not two hexadecimal digits.</summary>
    MalformedChecksum,

    /// <summary>The checksum does not match the sentence.</summary>
    BadChecksum,

    /// <summary>The sentence contains control characters or bytes outside printable ASCII (binary noise).</summary>
    NonPrintableCharacter,

    /// <summary>The sentence is longer than any receiver sends.</summary>
    TooLong,
}
