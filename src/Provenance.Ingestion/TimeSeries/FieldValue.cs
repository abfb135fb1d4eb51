namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// One field value of a <see cref="Point"/>: an integer, a finite float, a boolean or a string.
/// Immutable and thread-safe.
/// </summary>
public readonly record struct FieldValue
{
    private readonly long integer;
    private readonly double number;
    private readonly string? text;

    private FieldValue(FieldKind kind, long integer, double number, string? text)
    {
        Kind = kind;
        this.integer = integer;
        this.number = number;
        this.text = text;
    }

    /// <summary>The type of the value, which decides how it is written.</summary>
    public FieldKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Integer"/>.</summary>
    public long AsInteger => Kind == FieldKind.Integer ? integer : throw WrongKind(FieldKind.Integer);

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Float"/>.</summary>
    public double AsFloat => Kind == FieldKind.Float ? number : throw WrongKind(FieldKind.Float);

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Boolean"/>.</summary>
    public bool AsBoolean => Kind == FieldKind.Boolean ? integer != 0 : throw WrongKind(FieldKind.Boolean);

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string AsString => Kind == FieldKind.String ? text! : throw WrongKind(FieldKind.String);

    /// <summary>An integer field value.</summary>
    public static FieldValue FromInteger(long value) => new(FieldKind.Integer, value, 0, null);

    /// <summary>A float field value; NaN and infinities are rejected because line protocol cannot carry them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static FieldValue FromFloat(double value) => double.IsFinite(value)
        ? new(FieldKind.Float, 0, value, null)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB line protocol has no NaN or Infinity: leave the field out instead.");

    /// <summary>A boolean field value.</summary>
    public static FieldValue FromBoolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, 0, null);

    /// <summary>A string field value.</summary>
    public static FieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldKind.String, 0, 0, value);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        FieldKind.Integer => integer.ToString(System.Globalization.CultureInfo.InvariantCulture) + "i",
        FieldKind.Float => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        FieldKind.Boolean => integer != 0 ? "true" : "false",
        _ => text ?? string.Empty,
    };

    private InvalidOperationException WrongKind(FieldKind wanted) =>
        new($"The field value is a {Kind}, not a {wanted}.");
}
