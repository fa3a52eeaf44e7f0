using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.Functions.TestHandler;

/// <summary>
/// An independent SAS token builder (not the emulation's), written from service-bus-sas.md:
/// sig = base64(HMACSHA256(key as UTF-8, urlencode(resource) + "\n" + expiry)), with Uri.EscapeDataString as the encoder.
/// </summary>
public static class SasToken
{
    public static string Create(string resource, string keyName, string key, DateTimeOffset expiresAt)
    {
        var encoded = Uri.EscapeDataString(resource);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(encoded + "\n" + expiry)));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={keyName}";
    }
}
