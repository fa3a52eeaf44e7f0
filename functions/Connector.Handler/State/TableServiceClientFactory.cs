using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Connector.State;

/// <summary>
/// Builds the Table Storage client from <c>AzureWebJobsStorage</c> the way the Functions host reads it (design §6.1):
/// a connection string, or identity-based <c>__tableServiceUri</c> / <c>__accountName</c> with <c>__credential</c> and <c>__clientId</c>.
/// </summary>
public static class TableServiceClientFactory
{
    public const string SettingName = "AzureWebJobsStorage";

    public static TableServiceClient Create(IConfiguration configuration, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new TableClientOptions();
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, options);
        }

        var section = configuration.GetSection(SettingName);
        var serviceUri = section["tableServiceUri"];
        var accountName = section["accountName"];
        Uri endpoint = serviceUri is { Length: > 0 }
            ? new Uri(serviceUri)
            : accountName is { Length: > 0 }
                ? new Uri($"https://{accountName}.table.core.windows.net")
                : throw new InvalidOperationException(
                    $"Set '{SettingName}' to a connection string, or '{SettingName}__accountName' / '{SettingName}__tableServiceUri' for identity-based access.");
        return new TableServiceClient(endpoint, CreateCredential(section), options);
    }

    /// <summary>The Functions convention: <c>credential=managedidentity</c> with an optional <c>clientId</c>.</summary>
    public static TokenCredential CreateCredential(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is { Length: > 0 } ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
