namespace Provenance.Core.Nmea;

/// <summary>The dimension of a position fix.</summary>
public enum FixMode
{
    /// <summary>No position fix.</summary>
    NoFix = 1,

    /// <summary>Two-dimensional fix (latitude and longitude, no trustworthy altitude).</summary>
    TwoD = 2,

    /// <summary>Three-dimensional fix.</summary>
    ThreeD = 3,
}
