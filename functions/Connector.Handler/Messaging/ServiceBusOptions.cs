using System.Data.Common;

namespace Connector.Messaging;

/// <summary>
/// Where and how to send: <c>ServiceBusConnection</c> (SAS connection string; <c>UseDevelopmentEmulator=true</c> means
/// plain http to the endpoint's host:port) or <c>ServiceBusConnection__fullyQualifiedNamespace</c> with an Entra
/// identity (design §6.1).
/// </summary>
public sealed record ServiceBusOptions(Uri Endpoint, string? KeyName, string? Key, Azure.Core.TokenCredential? Credential)
{
    public const string SettingName = "ServiceBusConnection";

    public static ServiceBusOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString);
        }

        var section = configuration.GetSection(SettingName);
        var fqns = section["fullyQualifiedNamespace"];
        if (string.IsNullOrWhiteSpace(fqns))
        {
            throw new InvalidOperationException(
                $"Set '{SettingName}' to a connection string, or '{SettingName}__fullyQualifiedNamespace' for identity-based access.");
        }

        return new ServiceBusOptions(new Uri($"https://{fqns.Trim().TrimEnd('/')}/"), null, null, State.TableServiceClientFactory.CreateCredential(section));
    }

    public static ServiceBusOptions FromConnectionString(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Get(string key) => builder.TryGetValue(key, out var value) ? value?.ToString() : null;
        var endpoint = Get("Endpoint") ?? throw new InvalidOperationException($"'{SettingName}' has no Endpoint.");
        var sb = new Uri(endpoint);
        var emulator = string.Equals(Get("UseDevelopmentEmulator"), "true", StringComparison.OrdinalIgnoreCase);
        var http = new UriBuilder(emulator ? "http" : "https", sb.Host, emulator ? sb.Port : -1).Uri;
        return new ServiceBusOptions(http, Get("SharedAccessKeyName"), Get("SharedAccessKey"), null);
    }
}
