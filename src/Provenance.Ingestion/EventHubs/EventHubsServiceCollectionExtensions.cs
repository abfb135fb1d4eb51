using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provenance.Storage;

namespace Provenance.Ingestion.EventHubs;

/// <summary>Registers the IoT Hub (Event Hubs) source when <c>EventHubs:ConnectionString</c> is set.</summary>
public static class EventHubsServiceCollectionExtensions
{
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration?[$"{EventHubsSourceOptions.Section}:{nameof(EventHubsSourceOptions.ConnectionString)}"]);

    /// <summary>Adds the source (a hosted service) and its options, validated at start-up; returns whether it was configured.</summary>
    public static bool AddEventHubsSource(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return false;
        }

        services.AddOptions<EventHubsSourceOptions>().Bind(configuration.GetSection(EventHubsSourceOptions.Section)).ValidateDataAnnotations()
            .Validate(o => ConnectionStringProblem(o) is null, "EventHubs:ConnectionString must be the hub's Event Hub-compatible endpoint: Endpoint=sb://…/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=… (or set EventHubs:EventHubName)")
            .Validate(o => string.IsNullOrEmpty(o.CustomEndpointAddress) || Uri.TryCreate(o.CustomEndpointAddress, UriKind.Absolute, out _), "EventHubs:CustomEndpointAddress must be an absolute URI such as amqps://host:5671")
            .Validate(o => string.IsNullOrEmpty(o.TrustedCaPath) || File.Exists(o.TrustedCaPath), "EventHubs:TrustedCaPath names a file that does not exist")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EventHubsSourceOptions>>().Value);
        services.TryAddSingleton<SourceCheckpointStore>();
        services.AddSingleton<EventHubsSource>();
        services.AddHostedService(sp => sp.GetRequiredService<EventHubsSource>());
        return true;
    }

    private static string? ConnectionStringProblem(EventHubsSourceOptions options)
    {
        try
        {
            var properties = EventHubsConnectionStringProperties.Parse(options.ConnectionString);
            if (properties.Endpoint is null || string.IsNullOrEmpty(properties.SharedAccessKeyName) && string.IsNullOrEmpty(properties.SharedAccessSignature))
            {
                return "no endpoint or no shared access key";
            }

            return string.IsNullOrEmpty(properties.EventHubName) && string.IsNullOrEmpty(options.EventHubName) ? "no EntityPath" : null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
