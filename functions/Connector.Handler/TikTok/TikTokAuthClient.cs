using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Connector.TikTok;

/// <summary>
/// The auth host's token endpoints (reference/tiktok-shop-api.md §3.1): not signed, failure only via <c>code != 0</c>;
/// <c>*_expire_in</c> are absolute Unix times.
/// </summary>
public sealed class TikTokAuthClient(HttpClient http, IOptions<TikTokOptions> options)
{
    public Task<TikTokTokenData> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        CallAsync("/api/v2/token/refresh", [new("refresh_token", refreshToken), new("grant_type", "refresh_token")], cancellationToken);

    /// <summary>Exchanges the seller's one-time authorisation code (valid 30 minutes, §3.1 step 3).</summary>
    public Task<TikTokTokenData> ExchangeCodeAsync(string authCode, CancellationToken cancellationToken) =>
        CallAsync("/api/v2/token/get", [new("auth_code", authCode), new("grant_type", "authorized_code")], cancellationToken);

    private async Task<TikTokTokenData> CallAsync(string path, KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var query = TikTokSigningHandler.FormatQuery([new("app_key", settings.AppKey), new("app_secret", settings.AppSecret), .. parameters]);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.AuthBaseUrl), $"{path}?{query}"));
        using var response = await http.SendAsync(request, cancellationToken);
        var envelope = await response.Content.ReadFromJsonAsync<TikTokEnvelope<TikTokTokenData>>(TikTokJson.Options, cancellationToken)
            ?? throw new TikTokApiException(-1, "Empty answer from the token endpoint.", null, (int)response.StatusCode);
        if (envelope.Code != 0 || envelope.Data is null)
        {
            throw new TikTokApiException(envelope.Code, envelope.Message ?? "The token endpoint refused the request.", envelope.RequestId, (int)response.StatusCode);
        }

        return envelope.Data;
    }
}
