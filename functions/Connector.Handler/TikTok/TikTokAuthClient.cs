using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Connector.TikTok;

/// <summary>
/// The auth host's token endpoints (reference/tiktok-shop-api.md §3.1): not signed, failure only via <c>code != 0</c>;
/// <c>*_expire_in</c> are absolute Unix times.
/// </summary>
public sealed class TikTokAuthClient(HttpClient http, IOptions<TikTokOptions> options)
{
    public async Task<TikTokTokenData> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var query = TikTokSigningHandler.FormatQuery([
            new("app_key", settings.AppKey),
            new("app_secret", settings.AppSecret),
            new("refresh_token", refreshToken),
            new("grant_type", "refresh_token"),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.AuthBaseUrl), $"/api/v2/token/refresh?{query}"));
        using var response = await http.SendAsync(request, cancellationToken);
        var envelope = await response.Content.ReadFromJsonAsync<TikTokEnvelope<TikTokTokenData>>(TikTokJson.Options, cancellationToken)
            ?? throw new TikTokApiException(-1, "Empty answer from the token endpoint.", null, (int)response.StatusCode);
        if (envelope.Code != 0 || envelope.Data is null)
        {
            throw new TikTokApiException(envelope.Code, envelope.Message ?? "Token refresh failed.", envelope.RequestId, (int)response.StatusCode);
        }

        return envelope.Data;
    }
}
