namespace Provenance.Host.Cli;

/// <summary>Every verb of the <c>provenance</c> binary, in the order <c>--help</c> lists them.</summary>
internal static class VerbCatalog
{
    public static IReadOnlyList<CliVerb> All() =>
    [
        ServeVerb.Create(),
        SitesAddVerb.Create(),
        GatewaysKeygenVerb.Create(),
        GatewaysAddVerb.Create(),
        GatewaysRotateVerb.Create(),
        GatewaysRevokeVerb.Create(),
        ProductsAddVerb.Create(),
        TagsIssueVerb.Create(),
        KeysCreateVerb.Create(),
        KeysListVerb.Create(),
        KeysRevokeVerb.Create(),
        KeysRotateVerb.Create(),
        DbMigrateVerb.Create(),
        MqttRetireVerb.Create(),
        LedgerVerifyVerb.Create(),
        EpcisExportVerb.Create(),
        ProofExportVerb.Create(),
        ProofVerifyVerb.Create(),
        FabricRegisterGatewayVerb.Create(),
        NmeaDecodeVerb.Create(),
    ];
}
