using System.Security.Cryptography;
using System.Text;

namespace Connector.Messaging;

/// <summary>Service Bus shared access signature (reference/azure-functions-custom-handler.md §4.2, SAS token format).</summary>
public static class SasToken
{
    public static string Create(Uri resource, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var encodedResource = Uri.EscapeDataString(resource.ToString().ToLowerInvariant());
        var expiry = expiresAt.ToUnixTimeSeconds().ToString();
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{encodedResource}\n{expiry}")));
        return $"SharedAccessSignature sr={encodedResource}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }
}
