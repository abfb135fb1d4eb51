using System.Globalization;
using System.Text;
using Provenance.Core.Nmea.Internal;

namespace Provenance.Core.Tests.Nmea;

public sealed class NmeaFieldsTests
{
    [Theory]
    [InlineData("0.9")]
    [InlineData("545.4")]
    [InlineData("-12.30")]
    [InlineData("+7")]
    [InlineData("-0")]
    [InlineData("5.")]
    [InlineData(".5")]
    [InlineData("000000000000001.5")]
    [InlineData("123456789012345")]
    [InlineData("1234567890123456")]
    [InlineData("0.1234567890123456789")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("1e5")]
    [InlineData(" 1")]
    [InlineData("1,5")]
    public void Doubles_parse_to_the_same_bits_as_double_TryParse(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var expectedOk = double.TryParse(bytes, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var expected);

        var ok = NmeaFields.TryParseDouble(bytes, out var actual);

        Assert.Equal(expectedOk, ok);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Fact]
    public void Random_decimal_fields_parse_to_the_same_bits_as_double_TryParse()
    {
        var random = new Random(20261201);
        for (var i = 0; i < 200_000; i++)
        {
            var whole = random.NextInt64(0, 10_000_000);
            var fraction = random.NextInt64(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture)[..random.Next(0, 9)];
            var text = $"{(random.Next(4) == 0 ? "-" : string.Empty)}{whole}.{fraction}";
            var bytes = Encoding.ASCII.GetBytes(text);
            double.TryParse(bytes, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var expected);

            Assert.True(NmeaFields.TryParseDouble(bytes, out var actual), text);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), text);
        }
    }
}
