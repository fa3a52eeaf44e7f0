using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// Open API v3 calls for one shop: <c>x-api-key: keystring:shared_secret</c> and the shop's Bearer token (refreshed
/// before expiry, and once more on "access token is expired"). 429s are waited out by the resilience handler within
/// the <c>retry-after</c> Etsy gives; reads are also retried on 5xx; inventory writes are not retried blindly.
/// </summary>
public sealed class EtsyApi(HttpClient http, EtsyTokens tokens, IOptions<EtsyOptions> options, ILogger<EtsyApi> logger)
{
    public Task<JsonNode?> GetAsync(StoreAccess shop, string path, CancellationToken cancellationToken) =>
        SendAsync(shop, HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode?> PutAsync(StoreAccess shop, string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(shop, HttpMethod.Put, path, body, cancellationToken);

    private async Task<JsonNode?> SendAsync(StoreAccess shop, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        settings.EnsureConfigured();
        var token = await tokens.GetAccessTokenAsync(shop, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri($"{settings.ApiBaseUrl.TrimEnd('/')}{path}"));
            request.Headers.Add("x-api-key", $"{settings.Keystring}:{settings.SharedSecret}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StoreAnswers.HeaderValue(token, "Etsy", "store.accessToken"));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (StoreAnswers.FromTransport(e, "Etsy", settings.ApiBaseUrl, cancellationToken) is { } failure)
            {
                throw failure;
            }

            using (response)
            {
                WatchBudget(response);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400)
                {
                    throw StoreAnswers.Redirected("Etsy", response);
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonNode? node = null;
                try
                {
                    node = text.Length == 0 ? null : JsonNode.Parse(text, documentOptions: StoreAnswers.JsonLimits);
                }
                catch (JsonException e) when (status is >= 200 and < 300)
                {
                    throw StoreAnswers.Unexpected("Etsy", "Open API v3's JSON", status, response.Content.Headers.ContentType?.MediaType, text, e, token, settings.SharedSecret);
                }
                catch (JsonException)
                {
                    // Reported by status below.
                }

                if (status is >= 200 and < 300)
                {
                    return node;
                }

                var error = (string?)node?["error"] ?? $"HTTP {status}";
                var description = (string?)node?["error_description"];
                if (status == 401 && attempt == 0 && description is not null && description.Contains("expired", StringComparison.OrdinalIgnoreCase))
                {
                    await tokens.RefreshAsync(shop, token, cancellationToken);
                    token = shop.AccessToken;
                    continue;
                }

                throw status switch
                {
                    401 => new StoreRejectedException($"Etsy refused the shop's access token ({description ?? error}); connect the Etsy shop again."),
                    403 when error.Contains("API key", StringComparison.OrdinalIgnoreCase) || error.Contains("x-api-key", StringComparison.OrdinalIgnoreCase) =>
                        new StoreRejectedException($"Etsy refused this app's API key (x-api-key keystring:shared_secret): \"{error}\". Check the settings Etsy__Keystring and Etsy__SharedSecret."),
                    403 when error == "insufficient_scope" =>
                        new StoreRejectedException($"The Etsy authorisation lacks a permission ({description}); connect the Etsy shop again with scopes {settings.Scopes}."),
                    429 => new StoreUnavailableException($"Etsy's request budget is spent{RetryAfterText(response)}; the order will be retried."),
                    >= 500 => new StoreUnavailableException($"Etsy answered HTTP {status}."),
                    _ => new StoreRejectedException($"Etsy refused {method.Method} {path.Split('?')[0]}: {error}"),
                };
            }
        }
    }

    private static string RetryAfterText(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? $" (retry after {delta.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)" : string.Empty;

    private void WatchBudget(HttpResponseMessage response)
    {
        if (Header(response, "x-remaining-today") is { } remaining && Header(response, "x-limit-per-day") is { } limit && limit > 0 && remaining * 20 < limit)
        {
            EtsyLog.DailyBudgetLow(logger, remaining, limit);
        }
    }

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
