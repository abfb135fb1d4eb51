using Microsoft.Extensions.Options;
using Provenance.Api.Security;

namespace Provenance.Api.Http;

/// <summary>Start-up checks of the HTTP settings that data annotations cannot express, with messages that say what to change.</summary>
public sealed class ApiOptionsValidation : IValidateOptions<ApiOptions>, IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        TrustedProxies.Validate(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Url) || ManagementOptions.Parse(options.Url) is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Management:Url '{options.Url}' must be http://ADDRESS:PORT with an IP address (or localhost) and a port, e.g. http://127.0.0.1:9464; empty turns the management listener off");
    }
}
