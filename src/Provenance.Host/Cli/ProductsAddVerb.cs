using Provenance.Core.Codes;
using Provenance.Core.Registry;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance products add</c>: registers a product by GTIN.</summary>
internal static class ProductsAddVerb
{
    public static CliVerb Create() => new(
        ["products", "add"],
        "Register a product (GTIN-8/12/13/14 with a valid check digit; stored as 14 digits).",
        [
            new CliOption("gtin", "The product's GTIN.", Required: true),
            new CliOption("name", "Product name.", Required: true),
            new CliOption("brand", "Brand.", Required: true),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        if (!Gtin.TryParse(args.Require("gtin"), out var gtin, out var error))
        {
            throw new CliUsageException($"--gtin: {error}");
        }

        try
        {
            new RegistryStore(DataOption.Open(args)).AddProduct(new Product(gtin.Value, args.Require("name"), args.Require("brand")));
        }
        catch (RegistryConflictException e)
        {
            args.Error.WriteLine($"provenance products add: {e.Message}");
            return Task.FromResult(1);
        }

        args.Out.WriteLine($"product {gtin.Value} added");
        return Task.FromResult(0);
    }
}
