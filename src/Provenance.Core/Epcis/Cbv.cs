namespace Provenance.Core.Epcis;

/// <summary>
/// The GS1 Core Business Vocabulary 2.0 terms this product writes, and the full CBV term lists the event hash needs
/// to expand short names (<c>shipping</c> → <c>https://ref.gs1.org/cbv/BizStep-shipping</c>).
/// </summary>
public static class Cbv
{
    public const string Base = "https://ref.gs1.org/cbv/";

    public static class BizSteps
    {
        public const string Commissioning = "commissioning";
        public const string Assembling = "assembling";
        public const string Packing = "packing";
        public const string Unpacking = "unpacking";
        public const string Shipping = "shipping";
        public const string Receiving = "receiving";
        public const string Inspecting = "inspecting";
        public const string Holding = "holding";
        public const string Decommissioning = "decommissioning";
    }

    public static class Dispositions
    {
        public const string Active = "active";
        public const string ContainerClosed = "container_closed";
        public const string ContainerOpen = "container_open";
        public const string InProgress = "in_progress";
        public const string InTransit = "in_transit";
        public const string Recalled = "recalled";
        public const string Inactive = "inactive";
    }

    public const string DespatchAdvice = "desadv";
    public const string OwningParty = "owning_party";
    public const string Location = "location";

    internal static readonly HashSet<string> AllBizSteps = new(StringComparer.Ordinal)
    {
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance", "cycle_counting",
        "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
        "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing", "repackaging", "repairing", "replacing",
        "reserving", "retail_selling", "sampling", "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing",
        "transporting", "unloading", "unpacking", "void_shipping",
    };

    internal static readonly HashSet<string> AllDispositions = new(StringComparer.Ordinal)
    {
        "active", "available", "completeness_inferred", "completeness_verified", "conformant", "container_closed", "container_open", "damaged",
        "destroyed", "dispensed", "disposed", "encoded", "expired", "in_progress", "in_transit", "inactive", "mismatch_instance", "mismatch_class",
        "mismatch_quantity", "needs_replacement", "no_pedigree_match", "non_conformant", "non_sellable_other", "partially_dispensed", "recalled",
        "reserved", "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable", "unknown",
    };

    internal static readonly HashSet<string> BusinessTransactionTypes = new(StringComparer.Ordinal)
    {
        "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt",
    };

    internal static readonly HashSet<string> SourceDestinationTypes = new(StringComparer.Ordinal) { "owning_party", "possessing_party", "location" };

    internal static readonly HashSet<string> Components = new(StringComparer.Ordinal)
    {
        "x", "y", "z", "axial_distance", "azimuth", "height", "spherical_radius", "polar_angle", "elevation_angle", "easting", "northing",
        "latitude", "longitude", "altitude",
    };

    internal static readonly HashSet<string> AlarmTypes = new(StringComparer.Ordinal) { "ALARM_CONDITION", "ERROR_CONDITION" };

    internal static readonly HashSet<string> MeasurementTypes = new(StringComparer.Ordinal)
    {
        "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Altitude", "AmountOfSubstance", "AmountOfSubstancePerUnitVolume",
        "Angle", "AngularAcceleration", "AngularMomentum", "AngularVelocity", "Area", "Capacitance", "Conductance", "Conductivity", "Count",
        "Density", "Dimensionless", "DoseEquivalent", "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
        "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force", "Frequency", "Illuminance", "Inductance", "Irradiance",
        "KinematicViscosity", "Length", "LinearMomentum", "Luminance", "LuminousFlux", "LuminousIntensity", "MagneticFlux", "MagneticFluxDensity",
        "MagneticVectorPotential", "Mass", "MassConcentration", "MassFlowRate", "MassPerAreaTime", "MemoryCapacity", "MolalityOfSolute",
        "MolarEnergy", "MolarMass", "MolarVolume", "Power", "Pressure", "RadiantFlux", "RadiantIntensity", "Radioactivity", "RelativeHumidity",
        "Resistance", "Resistivity", "SolidAngle", "SpecificVolume", "Speed", "SurfaceDensity", "SurfaceTension", "Temperature", "Time", "Torque",
        "Voltage", "Volume", "VolumeFlowRate", "VolumeFraction", "VolumetricFlux", "Wavenumber",
    };

    /// <summary>The full URI of a bizStep (short CBV names are expanded; URIs and CBV 1.x URNs are normalised).</summary>
    public static string BizStepUri(string bizStep)
    {
        ArgumentNullException.ThrowIfNull(bizStep);
        if (AllBizSteps.Contains(bizStep))
        {
            return Base + "BizStep-" + bizStep;
        }

        const string Urn = "urn:epcglobal:cbv:bizstep:";
        return bizStep.StartsWith(Urn, StringComparison.Ordinal) ? Base + "BizStep-" + bizStep[Urn.Length..] : bizStep;
    }
}
