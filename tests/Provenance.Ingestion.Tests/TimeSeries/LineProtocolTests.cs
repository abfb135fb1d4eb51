using System.Globalization;
using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

public class LineProtocolTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1234567);

    [Fact]
    public void Measurement_escapes_comma_and_space_but_not_equals_sign()
    {
        var point = Point.Create("seal, line=1").Field("f", 1L).Build(At);

        Assert.StartsWith(@"seal\,\ line=1 f=1i ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void Tag_keys_and_tag_values_escape_comma_equals_sign_and_space()
    {
        var point = Point.Create("m").Tag("a key,=", "v a,l=ue").Field("f", 1L).Build(At);

        Assert.StartsWith(@"m,a\ key\,\==v\ a\,l\=ue f=1i ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void Field_keys_escape_comma_equals_sign_and_space()
    {
        var point = Point.Create("m").Field("my field,=x", 1L).Build(At);

        Assert.StartsWith(@"m my\ field\,\=x=1i ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void String_field_values_escape_double_quote_and_backslash_and_are_quoted()
    {
        var point = Point.Create("m").Field("s", "say \"hi\", C:\\path = x").Build(At);

        Assert.StartsWith("m s=\"say \\\"hi\\\", C:\\\\path = x\" ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void Backslashes_not_followed_by_a_special_character_pass_through_in_names()
    {
        var point = Point.Create(@"a\b").Tag(@"k\x", @"v\y").Field(@"f\z", 1L).Build(At);

        Assert.StartsWith(@"a\b,k\x=v\y f\z=1i ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void Unicode_passes_through_unchanged()
    {
        var point = Point.Create("防伪").Tag("站点", "上海 浦东").Field("说明", "封签✓ \"ok\"").Build(At);

        var expected = $"防伪,站点=上海\\ 浦东 说明=\"封签✓ \\\"ok\\\"\" {point.UnixNanoseconds}";
        Assert.Equal(expected, LineProtocol.ToLine(point));
    }

    [Fact]
    public void Tags_are_written_sorted_by_key_whatever_the_order_they_were_added()
    {
        var point = Point.Create("m").Tag("site", "s").Tag("gateway", "g").Tag("Zone", "z").Tag("attested", "true").Field("f", 1L).Build(At);

        Assert.StartsWith("m,Zone=z,attested=true,gateway=g,site=s f=1i ", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "0i")]
    [InlineData(-42L, "-42i")]
    [InlineData(long.MaxValue, "9223372036854775807i")]
    [InlineData(long.MinValue, "-9223372036854775808i")]
    public void Integers_are_written_with_the_i_suffix(long value, string expected)
    {
        var point = Point.Create("m").Field("f", value).Build(At);

        Assert.Equal($"m f={expected} {point.UnixNanoseconds}", LineProtocol.ToLine(point));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(-31.2304123456789)]
    [InlineData(121.4737)]
    [InlineData(1e21)]
    [InlineData(5e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(1.0)]
    public void Floats_are_written_in_a_form_that_parses_back_to_the_same_double(double value)
    {
        var line = LineProtocol.ToLine(Point.Create("m").Field("f", value).Build(At));
        var text = line["m f=".Length..line.LastIndexOf(' ')];

        Assert.Equal(value, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.DoesNotContain(",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("i", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Booleans_are_written_bare_and_fields_sorted_by_key()
    {
        var point = Point.Create("m").Field("yes", true).Field("no", false).Build(At);

        Assert.Equal($"m no=false,yes=true {point.UnixNanoseconds}", LineProtocol.ToLine(point));
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_even_when_the_current_culture_uses_a_decimal_comma()
    {
        // The build runs with InvariantGlobalization, so "de-DE" cannot be loaded; a clone with
        // German number formatting reproduces what matters (decimal comma, dot for thousands).
        var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        german.NumberFormat.NumberDecimalSeparator = ",";
        german.NumberFormat.NumberGroupSeparator = ".";
        german.NumberFormat.NegativeSign = "\u2212";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = german;
        try
        {
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));
            var point = Point.Create("m").Field("x", -1234.5).Field("n", -7L).Build(At);

            Assert.Equal($"m n=-7i,x=-1234.5 {point.UnixNanoseconds}", LineProtocol.ToLine(point));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_timestamp_is_the_events_time_in_nanoseconds_since_the_unix_epoch()
    {
        var eventTime = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.FromHours(8)).AddTicks(5358979);

        var point = Point.Create("m").Field("f", 1L).Build(eventTime);

        Assert.Equal(1_773_472_166_535_897_900L, point.UnixNanoseconds);
        Assert.EndsWith(" 1773472166535897900", LineProtocol.ToLine(point), StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_before_the_epoch_is_negative_nanoseconds()
    {
        var point = Point.Create("m").Field("f", 1L).Build(DateTimeOffset.UnixEpoch.AddTicks(-3));

        Assert.Equal(-300L, point.UnixNanoseconds);
    }

    [Fact]
    public void A_timestamp_outside_influxdbs_range_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Point.Create("m").Field("f", 1L).Build(new DateTimeOffset(2300, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinities_are_rejected(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Point.Create("m").Field("f", value));
    }

    [Theory]
    [InlineData("", "t", "v", "f")]
    [InlineData("#comment", "t", "v", "f")]
    [InlineData("m\n", "t", "v", "f")]
    [InlineData("m", "t\n", "v", "f")]
    [InlineData("m", "t", "line1\nline2", "f")]
    [InlineData("m", "t", "cr\r", "f")]
    [InlineData("m", "t", "", "f")]
    [InlineData("m", "", "v", "f")]
    [InlineData("m", "t", "v", "")]
    [InlineData("m", "time", "v", "f")]
    [InlineData("m", "t", "v", "f\t")]
    [InlineData("m", "t", @"ends\", "f")]
    [InlineData("m", "t", @"a\,b", "f")]
    [InlineData(@"m\ x", "t", "v", "f")]
    public void Points_that_line_protocol_cannot_carry_are_rejected(string measurement, string tagKey, string tagValue, string fieldKey)
    {
        var builder = Point.Create(measurement).Tag(tagKey, tagValue).Field(fieldKey, 1L);

        Assert.ThrowsAny<ArgumentException>(() => builder.Build(At));
    }

    [Fact]
    public void A_point_without_fields_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Point.Create("m").Tag("t", "v").Build(At));

        Assert.Contains("no fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_added_twice_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Point.Create("m").Tag("t", "a").Tag("t", "b"));
        Assert.Throws<ArgumentException>(() => Point.Create("m").Field("f", 1L).Field("f", 2L));
    }

    [Fact]
    public void String_field_values_may_contain_newlines_and_control_characters()
    {
        var point = Point.Create("m").Field("s", "a\nb\tc").Build(At);

        Assert.Equal("a\nb\tc", point.Fields[0].Value.AsString);
    }
}
