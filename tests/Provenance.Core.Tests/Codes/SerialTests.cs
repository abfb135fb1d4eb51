using Provenance.Core.Codes;

namespace Provenance.Core.Tests.Codes;

public sealed class SerialTests
{
    [Fact]
    public void A_million_generated_serials_are_all_distinct_valid_and_at_most_20_characters()
    {
        var seen = new HashSet<string>(1_000_000, StringComparer.Ordinal);
        for (var i = 0; i < 1_000_000; i++)
        {
            var serial = Serial.Generate();
            Assert.True(seen.Add(serial), $"duplicate serial {serial} after {i} draws");
        }

        Assert.All(seen.Take(10_000), s =>
        {
            Assert.True(Serial.IsValid(s));
            Assert.InRange(s.Length, 1, Serial.MaxLength);
            Assert.True(Cset82.IsValid(s));
        });
    }

    [Fact]
    public void Generated_serials_carry_at_least_64_bits_of_entropy()
    {
        var bits = Serial.Generate().Length * Math.Log2(Serial.Alphabet.Distinct().Count());
        Assert.True(bits >= 64, $"{bits} bits");
        Assert.Throws<ArgumentOutOfRangeException>(() => Serial.Generate(12));
    }

    [Theory]
    [InlineData("ABC-123_x.y", true)]
    [InlineData("A/B%C", true)]
    [InlineData("", false)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU", false)]
    [InlineData("naïve", false)]
    [InlineData("a b", false)]
    public void Validation_accepts_cset_82_strings_of_1_to_20_characters(string serial, bool valid) =>
        Assert.Equal(valid, Serial.IsValid(serial));
}
