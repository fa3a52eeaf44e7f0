using Azure.Messaging.ServiceBus;
using Connector.State;

namespace Connector.Messaging;

/// <summary>
/// The process's one <see cref="ServiceBusClient"/> (one AMQP connection) from the settings of design §6.1: the SAS
/// connection string <c>ServiceBusConnection</c>, or <c>ServiceBusConnection__fullyQualifiedNamespace</c> with an Entra
/// identity (<c>__credential</c>, <c>__clientId</c>). Retries are sized for code inside a function invocation
/// (reference/azure-service-bus-amqp.md §2): the SDK's defaults would hold an invocation for minutes.
/// </summary>
public static class ServiceBusClientFactory
{
    public const string SettingName = "ServiceBusConnection";

    public static ServiceBusClientOptions ClientOptions() => new()
    {
        Identifier = "connector-handler",
        RetryOptions = new ServiceBusRetryOptions
        {
            Mode = ServiceBusRetryMode.Exponential,
            MaxRetries = 2,
            Delay = TimeSpan.FromMilliseconds(400),
            MaxDelay = TimeSpan.FromSeconds(5),
            TryTimeout = TimeSpan.FromSeconds(10),
        },
    };

    public static ServiceBusClient Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            ServiceBusConnectionStringProperties properties;
            try
            {
                properties = ServiceBusConnectionStringProperties.Parse(connectionString);
            }
            catch (FormatException)
            {
                // The SDK's message may quote the string, and with it the key: say what is wrong without it.
                throw new InvalidOperationException($"'{SettingName}' is not a Service Bus connection string (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...).");
            }

            if (properties.Endpoint is null || string.IsNullOrEmpty(properties.SharedAccessKeyName) && string.IsNullOrEmpty(properties.SharedAccessSignature))
            {
                throw new InvalidOperationException($"'{SettingName}' needs an Endpoint and a SharedAccessKeyName/SharedAccessKey (or use '{SettingName}__fullyQualifiedNamespace' with an identity).");
            }

            return new ServiceBusClient(connectionString, ClientOptions());
        }

        var section = configuration.GetSection(SettingName);
        var fullyQualifiedNamespace = section["fullyQualifiedNamespace"];
        if (string.IsNullOrWhiteSpace(fullyQualifiedNamespace))
        {
            throw new InvalidOperationException(
                $"Set '{SettingName}' to a connection string, or '{SettingName}__fullyQualifiedNamespace' for identity-based access.");
        }

        // The setting may be a bare host name (the Functions convention) or an sb:// / https:// URI.
        var host = Uri.TryCreate(fullyQualifiedNamespace.Trim(), UriKind.Absolute, out var uri) ? uri.Host : fullyQualifiedNamespace.Trim().TrimEnd('/');
        return new ServiceBusClient(host, TableServiceClientFactory.CreateCredential(section), ClientOptions());
    }
}
