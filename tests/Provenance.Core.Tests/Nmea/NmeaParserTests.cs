using Provenance.Core.Nmea;

namespace Provenance.Core.Tests.Nmea;

public sealed class NmeaParserTests
{
    private const string Gga = "$GNGGA,000653.00,4404.12994,N,12118.84613,W,1,29,0.69,1109.2,M,,M,,*71";

    [Fact]
    public void A_sentence_with_a_good_checksum_parses_into_talker_type_and_fields()
    {
        var result = NmeaParser.Parse(Gga);

        Assert.True(result.IsSuccess);
        Assert.Equal(Talker.GN, result.Sentence.Talker);
        Assert.Equal("GN", result.Sentence.TalkerId);
        Assert.Equal("GGA", result.Sentence.Type);
        Assert.Equal("GNGGA", result.Sentence.Address.ToString());
        Assert.Equal(14, result.Sentence.FieldCount);
        Assert.Equal("000653.00", result.Sentence.FieldText(0));
        Assert.Equal("1109.2", result.Sentence.Field(8).ToString());
        Assert.True(result.Sentence.Field(9 + 5).IsEmpty);
        Assert.Equal(Gga, result.Sentence.ToString());
    }

    [Fact]
    public void A_bad_checksum_is_an_error_naming_both_values()
    {
        var result = NmeaParser.Parse(Gga.Replace("*71", "*72", StringComparison.Ordinal));

        Assert.False(result.IsSuccess);
        Assert.Equal(NmeaParseError.BadChecksum, result.Error);
        Assert.Equal("bad checksum: sent 72, computed 71", result.Reason);
    }

    [Fact]
    public void A_missing_checksum_is_an_error()
    {
        var result = NmeaParser.Parse("$GNGGA,000653.00,4404.12994,N");

        Assert.Equal(NmeaParseError.MissingChecksum, result.Error);
    }

    [Fact]
    public void Lower_case_checksum_digits_are_accepted_and_malformed_ones_are_not()
    {
        Assert.True(NmeaParser.Parse("$GPGSA,A,1,,,,,,,,,,,,,,,,*32").IsSuccess);
        Assert.True(NmeaParser.Parse("$GNGSA,A,1,,,,,,,,,,,,,,,*00").IsSuccess);
        Assert.True(NmeaParser.Parse("$GPGSV,7,7,25,04,08,012,*41").IsSuccess);
        Assert.True(NmeaParser.Parse("$GNRMC,074157.799,A,3114.8902,N,12135.2443,E,0.32,4.94,250215,,,A*7f").IsSuccess);
        Assert.Equal(NmeaParseError.MalformedChecksum, NmeaParser.Parse("$GPGSA,A,1,,,,,,,,,,,,,,,,*3G").Error);
        Assert.Equal(NmeaParseError.MalformedChecksum, NmeaParser.Parse("$GPGSA,A,1,,,,,,,,,,,,,,,,*3").Error);
    }

    [Fact]
    public void Leading_space_and_CRLF_are_ignored()
    {
        Assert.True(NmeaParser.Parse(" $GNRMC,074157.799,A,3114.8902,N,12135.2443,E,0.32,4.94,250215,,,A*7F\r\n").IsSuccess);
    }

    [Theory]
    [InlineData("GPGGA", Talker.GP)]
    [InlineData("GLGSV", Talker.GL)]
    [InlineData("GAGSV", Talker.GA)]
    [InlineData("BDGSA", Talker.BD)]
    [InlineData("GBGSV", Talker.GB)]
    [InlineData("GNRMC", Talker.GN)]
    [InlineData("GQGSV", Talker.GQ)]
    [InlineData("GIGSV", Talker.GI)]
    [InlineData("PSRFEPE", Talker.Proprietary)]
    [InlineData("SNRSTAT", Talker.Other)]
    public void Talkers_are_recognised(string address, Talker talker)
    {
        var result = NmeaParser.Parse(NmeaChecksum.Append($"${address},1,2"));

        Assert.True(result.IsSuccess);
        Assert.Equal(talker, result.Sentence.Talker);
    }

    [Fact]
    public void Proprietary_and_unknown_talkers_keep_their_letters()
    {
        var proprietary = NmeaParser.Parse("$PSRFEPE,074150.799,V,,,,,*23").Sentence!;
        var unknown = NmeaParser.Parse("$SNRSTAT,1,1,0,0*5D").Sentence!;

        Assert.Equal(("P", "SRFEPE"), (proprietary.TalkerId, proprietary.Type));
        Assert.Equal(("SN", "RSTAT"), (unknown.TalkerId, unknown.Type));
    }

    [Theory]
    [InlineData("", NmeaParseError.NoStartDelimiter)]
    [InlineData("GPGGA,1*00", NmeaParseError.NoStartDelimiter)]
    [InlineData("$*00", NmeaParseError.InvalidAddress)]
    [InlineData("$gpgga,1*00", NmeaParseError.InvalidAddress)]
    [InlineData("$GPGGA,12\u0000\u00ff,3*00", NmeaParseError.NonPrintableCharacter)]
    public void Garbage_is_an_error(string text, NmeaParseError error)
    {
        Assert.Equal(error, NmeaParser.Parse(text).Error);
    }

    [Fact]
    public void An_overlong_line_is_an_error()
    {
        Assert.Equal(NmeaParseError.TooLong, NmeaParser.Parse("$GPTXT," + new string('A', 600) + "*00").Error);
    }
}
