using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>Tokens from Etsy's token endpoint (store-apis.md §3.3): authorization code + PKCE verifier, and refresh.</summary>
public sealed class EtsyAuthClient(HttpClient http, IOptions<EtsyOptions> options)
{
    public sealed record Tokens(string AccessToken, string RefreshToken, long ExpiresIn);

    public Task<Tokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync([new("grant_type", "refresh_token"), new("client_id", options.Value.Keystring!), new("refresh_token", refreshToken)], cancellationToken);

    public Task<Tokens> ExchangeCodeAsync(string code, string verifier, string redirectUri, CancellationToken cancellationToken) =>
        RequestAsync(
        [
            new("grant_type", "authorization_code"), new("client_id", options.Value.Keystring!), new("redirect_uri", redirectUri),
            new("code", code), new("code_verifier", verifier),
        ], cancellationToken);

    /// <summary>A PKCE pair: a 43-character verifier and its S256 challenge, base64url(SHA-256(verifier)).</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Challenge(verifier));
    }

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Tokens> RequestAsync(IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        options.Value.EnsureConfigured();
        using var content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(options.Value.TokenEndpoint), content, cancellationToken);
        }
        catch (Exception e) when (StoreAnswers.FromTransport(e, "Etsy's token endpoint", options.Value.TokenEndpoint, cancellationToken) is { } failure)
        {
            throw failure;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw StoreAnswers.Redirected("Etsy's token endpoint", response);
            }

            JsonNode? body = null;
            try
            {
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken), documentOptions: StoreAnswers.JsonLimits);
            }
            catch (JsonException)
            {
                // Reported below by status.
            }

            if (status is 429 or >= 500)
            {
                throw new StoreUnavailableException($"Etsy's token endpoint answered HTTP {status}.");
            }

            if (status != 200 || (string?)body?["access_token"] is not { Length: > 0 } access)
            {
                var error = (string?)body?["error"] ?? $"HTTP {status}";
                var description = (string?)body?["error_description"];
                throw new StoreRejectedException(error == "invalid_client"
                    ? "Etsy does not know this app's keystring (invalid_client): check Etsy__Keystring."
                    : $"Etsy refused the authorisation ({error}{(description is null ? "" : ": " + description)}); connect the Etsy shop again.");
            }

            return new Tokens(access, (string?)body?["refresh_token"] ?? string.Empty, (long?)body?["expires_in"] ?? 3600);
        }
    }
}
