using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// The Webservice transport (store-apis.md §1.1, §1.2): <c>{baseUrl}/api/…</c>, HTTP Basic with the key as user name
/// (or <c>?ws_key=</c> when the shop opted in), JSON output through <c>Output-Format</c>, XML bodies. Errors become
/// <see cref="StoreRejectedException"/> (the shop said no) or <see cref="StoreUnavailableException"/> (try again later).
/// Reads are retried by the resilience handler; writes are not (see <see cref="PrestaShopOrderWriter"/>).
/// </summary>
public sealed class PrestaShopWebservice(HttpClient http, ILogger<PrestaShopWebservice> logger)
{
    /// <summary>A query string part: names and values escaped (filter values go inside <c>[...]</c>).</summary>
    public static string Q(params (string Name, string Value)[] parts) =>
        string.Join("&", parts.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    public async Task<PrestaShopAnswer> SendRawAsync(StoreAccess shop, HttpMethod method, string pathAndQuery, string? xml, bool authInQuery, CancellationToken cancellationToken)
    {
        var url = $"{shop.BaseUrl.TrimEnd('/')}/api/{pathAndQuery}";
        if (authInQuery)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Q(("ws_key", shop.ApiKey));
        }

        using var request = new HttpRequestMessage(method, new Uri(url));
        if (!authInQuery)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(shop.ApiKey + ":")));
        }

        request.Headers.Add("Output-Format", "JSON");
        if (xml is not null)
        {
            request.Content = new StringContent(xml, Encoding.UTF8, "text/xml");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (StoreAnswers.FromTransport(e, "PrestaShop", shop.BaseUrl, cancellationToken) is { } failure)
        {
            throw failure;
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception e) when (StoreAnswers.FromTransport(e, "PrestaShop", shop.BaseUrl, cancellationToken) is { } failure)
            {
                throw failure;
            }

            var contentType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            var errors = new List<(int, string)>();
            if ((int)response.StatusCode >= 400 && body.Length > 0 && contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    if (JsonNode.Parse(body, documentOptions: StoreAnswers.JsonLimits)?["errors"] is JsonArray list)
                    {
                        errors.AddRange(list.OfType<JsonObject>().Select(e => ((int)PrestaShopXml.Long(e["code"]), PrestaShopXml.Str(e["message"]))));
                    }
                }
                catch (JsonException)
                {
                    // Not the Webservice's error shape (a proxy page): the body is quoted as it is.
                }
            }

            var location = response.Headers.Location is { } to ? (to.IsAbsoluteUri ? to : new Uri(request.RequestUri!, to)) : null;
            return new PrestaShopAnswer((int)response.StatusCode, contentType, body, errors, location);
        }
    }

    /// <summary>The HTTP status of a shop page outside the Webservice (no key sent, redirects not followed).</summary>
    public async Task<int> PageStatusAsync(StoreAccess shop, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (StoreAnswers.FromTransport(e, "PrestaShop", shop.BaseUrl, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>GET; null for 404 (an unknown id answers 404 with an empty body).</summary>
    public async Task<JsonNode?> GetAsync(StoreAccess shop, string pathAndQuery, CancellationToken cancellationToken)
    {
        var answer = await SendRawAsync(shop, HttpMethod.Get, pathAndQuery, null, AuthInQuery(shop), cancellationToken);
        if (answer.Status == 404)
        {
            return null;
        }

        return ParseOrThrow(shop, answer, "GET", pathAndQuery);
    }

    public async Task<JsonObject> WriteAsync(StoreAccess shop, HttpMethod method, string resource, string pathAndQuery, string xml, CancellationToken cancellationToken)
    {
        var answer = await SendRawAsync(shop, method, pathAndQuery, xml, AuthInQuery(shop), cancellationToken);
        if (answer.Status is >= 200 and < 300 && !answer.IsJson)
        {
            // PHP's die() prints its text with HTTP 200 before any status header is sent (validateOrder's checks).
            throw new StoreRejectedException($"PrestaShop stopped while writing {resource}: \"{Plain(answer.Body)}\".");
        }

        return ParseOrThrow(shop, answer, method.Method, resource) as JsonObject
            ?? throw new StoreRejectedException($"PrestaShop answered {method.Method} {resource} without the created record.");
    }

    public JsonNode? ParseOrThrow(StoreAccess shop, PrestaShopAnswer answer, string method, string what)
    {
        var resource = what.Split('?', '/')[0];
        switch (answer.Status)
        {
            case >= 200 and < 300:
                if (answer.Body.Length == 0)
                {
                    return null;
                }

                return StoreAnswers.ParseJson("PrestaShop", $"the Webservice's JSON to {method} {resource}", answer.Status, answer.ContentType, answer.Body, Secrets(shop));
            case >= 300 and < 400:
                throw StoreAnswers.Redirected("PrestaShop", answer.Status, answer.Location, null);

            case 503 when answer.Errors.Any(e => e.Code == 22):
                throw new StoreRejectedException(WebserviceDisabledMessage);
            case 401 when answer.Errors.Any(e => e.Code == 16):
                throw new StoreRejectedException("PrestaShop received no webservice key. " + StrippedHeaderFix);
            case 401 when answer.Errors.Any(e => e.Code is 26):
            case 405 when answer.Errors.Any(e => e.Code is 25):
                throw new StoreRejectedException($"The webservice key may not {method} {resource}: {answer.ErrorText}. {PermissionsFix}");
            case 401:
                throw new StoreRejectedException($"PrestaShop refused the webservice key: {answer.ErrorText}. Check the key (32 characters) in Advanced Parameters > Webservice and that it is enabled.");
            case 400 or 404 or 405:
                throw new StoreRejectedException($"PrestaShop refused {method} {resource}: {answer.ErrorText}.");
            default:
                PrestaShopLog.Unavailable(logger, shop.ShopId, answer.Status, method, resource);
                throw new StoreUnavailableException($"PrestaShop answered HTTP {answer.Status} to {method} {resource}: {answer.ErrorText}");
        }
    }

    /// <summary>What an excerpt of an answer must never show: the key, and the key as the Basic header carries it.</summary>
    public static string[] Secrets(StoreAccess shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return [shop.ApiKey, Convert.ToBase64String(Encoding.UTF8.GetBytes(shop.ApiKey + ":"))];
    }

    public static string Plain(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " ", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        text = System.Text.RegularExpressions.Regex.Replace(text, "\\s+", " ", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
        return text.Length > 300 ? text[..300] : text;
    }

    public static bool AuthInQuery(StoreAccess shop) => PrestaShopStoreOptions.Parse(shop.OptionsJson).AuthInQuery;

    public const string WebserviceDisabledMessage =
        "The PrestaShop webservice is disabled: enable it in the back office under Advanced Parameters > Webservice (\"Enable PrestaShop's webservice\").";

    public const string StrippedHeaderFix =
        "The web server drops the Authorization header before PHP sees it (the usual CGI/FastCGI problem). Fix it on the server: "
        + "add `SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` (or `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` with "
        + "mod_rewrite enabled) to the shop's .htaccess, or turn on \"Enable CGI mode for PHP\" in Advanced Parameters > Webservice. "
        + "As a last resort set store.options.authInQuery to true to send the key as ?ws_key= (it then shows in the server's access logs).";

    public const string PermissionsFix =
        "Give the key View (GET) on products, combinations, configurations, countries, states, currencies, carriers, taxes, tax_rules, "
        + "order_states, orders, order_carriers, order_histories; Add (POST) on customers, addresses, carts, specific_prices, orders, order_histories; "
        + "Modify (PUT) on order_carriers; Delete on specific_prices (Advanced Parameters > Webservice > the key).";
}
