using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Connector.Sandbox;
using Connector.Testing;
using Connector.TikTok;
using CsCheck;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Every HTTP route of the function app, found from the function folders (a new route is covered without editing this
/// test), gets generated hostile input: path segments, query parameters and bodies that no valid request has. Whatever
/// comes, the answer is never a 5xx, a 4xx carries a problem body that names no .NET type, and nothing is stored or queued.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    private const string KnownShop = "hostile1";

    [Fact]
    public async Task Hostile_requests_on_every_route_are_refused_with_a_problem_and_change_nothing()
    {
        var routes = HttpRoute.Load();
        Assert.Contains(routes, r => r.Route == "orders/retry");
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync(KnownShop);
        await sandbox.SettleAsync();
        var before = await StoredAsync(sandbox);
        var sentBefore = sandbox.Sent.Count;
        var hits = routes.ToDictionary(r => r.Name, _ => 0);

        var requests = Gen.Int[0, routes.Count - 1].SelectMany(i => RequestFor(routes[i]));
        await requests.SampleAsync(async request =>
        {
            hits[request.Route.Name]++;
            await AssertRefusedSafelyAsync(sandbox, request);
        }, iter: 400, threads: 1, seed: null, print: r => r.ToString());

        Assert.All(hits, hit => Assert.True(hit.Value > 0, $"route {hit.Key} was never tried"));
        Assert.Equal(before, await StoredAsync(sandbox));
        Assert.Equal(sentBefore, sandbox.Sent.Count);
    }

    [Fact]
    public async Task Signed_tiktok_webhooks_with_hostile_fields_are_never_a_5xx_and_store_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync(KnownShop);
        await sandbox.SettleAsync();
        var before = await StoredAsync(sandbox);
        var sentBefore = sandbox.Sent.Count;
        var route = HttpRoute.Load().Single(r => r.Name == "TikTokWebhook");

        var bodies =
            from type in Gen.OneOf(Gen.OneOf<JsonNode?>(1, 2, 3, 11), HostileValue.Where(v => v is null || v.GetValueKind() != JsonValueKind.Number))
            from notification in Gen.OneOf(Gen.Const<JsonNode?>("n1"), HostileValue)
            from shop in Gen.OneOf(Gen.Const<JsonNode?>(KnownShop), HostileValue)
            from timestamp in Gen.OneOf(Gen.Const<JsonNode?>(1_700_000_000), HostileValue)
            from orderId in Gen.OneOf(HostileText.Where(t => !TikTokIds.IsOrderId(t)).Select(t => (JsonNode?)t), HostileValue.Where(v => v is null || v.GetValueKind() != JsonValueKind.Number))
            from updateTime in Gen.OneOf(Gen.Const<JsonNode?>(1_700_000_000), HostileValue)
            select new JsonObject
            {
                ["type"] = type?.DeepClone(),
                ["tts_notification_id"] = notification?.DeepClone(),
                ["shop_id"] = shop?.DeepClone(),
                ["timestamp"] = timestamp?.DeepClone(),
                ["data"] = new JsonObject { ["order_id"] = orderId?.DeepClone(), ["update_time"] = updateTime?.DeepClone() },
            }.ToJsonString();

        // (a positive number is a TikTok order id in all but type: a signed webhook naming one is real work, not hostile)
        await bodies.SampleAsync(async body =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var request = new HostileRequest(route, "POST", "/api/webhooks/tiktok", bytes,
                ("Authorization", TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, bytes)));
            await AssertRefusedSafelyAsync(sandbox, request, signed: true);
        }, iter: 150, threads: 1, print: b => b);

        Assert.Equal(before, await StoredAsync(sandbox));
        Assert.Equal(sentBefore, sandbox.Sent.Count);
    }

    private static async Task AssertRefusedSafelyAsync(TestSandbox sandbox, HostileRequest hostile, bool signed = false)
    {
        using var request = hostile.ToMessage();

        // The answer itself is under test: a redirect (to TikTok's or Etsy's consent page) is not followed.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Api.BaseAddress };
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{hostile} → {status}: {text}");
        if (status >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{hostile} → {status} without a problem body: {text}");
            Assert.False(DotNetName().IsMatch(text), $"{hostile} → {status} names a .NET type: {text}");
        }
        else
        {
            // A hostile request may be harmless and answered (a search for "<img…>" finds nothing), but never by storing.
            Assert.True(hostile.Method == "GET" || signed, $"{hostile} was accepted ({status}): {text}");
        }
    }

    /// <summary>Entities per table of this sandbox (the Etsy OAuth state a valid "connect" press leaves is not shop data).</summary>
    private static async Task<string> StoredAsync(TestSandbox sandbox)
    {
        var service = new TableServiceClient(sandbox.StorageConnectionString);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(sandbox.TablePrefix) >= 0))
        {
            if (!table.Name.StartsWith(sandbox.TablePrefix, StringComparison.Ordinal) || table.Name.EndsWith("EtsyOAuth", StringComparison.Ordinal))
            {
                continue;
            }

            var count = 0;
            await foreach (var _ in service.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["RowKey"]))
            {
                count++;
            }

            if (count > 0)
            {
                // (reads create a missing table; an empty one holds nothing)
                counts[table.Name] = count;
            }
        }

        return string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
    }

    // ---- generators ----

    /// <summary>Text no valid request carries in that place, and text that is valid but names nothing.</summary>
    private static readonly string[] HostileTexts =
    [
        "", " ", "\r\n", "a\r\nX-Injected: 1", "\0", "<img src=x onerror=alert(1)>", "1' or RowKey ne '", "{\"x\":1}", "../../etc/passwd",
        "a/b#c?d\\e", "%00", "%", "%%%", "\u202e\u0645\u0631", "\ud83d\ude00", new('9', 40), new('x', 3000), "null", "-1", "1e309", "NaN",
        "\ud800", "shop id", "ALL", "m1", "t99999999999999999999999",
    ];

    private static readonly Gen<string> HostileText = Gen.Frequency(
        (4, Gen.OneOf(HostileTexts)),
        (2, Gen.String[0, 80]),
        (1, Gen.Char['\0', '\u001f'].Array[1, 5].Select(cs => "x" + new string(cs))),
        (1, Gen.Int[2_000, 70_000].Select(n => new string('a', n))));

    /// <summary>Body values that are wrong for every field: control characters, over every length limit, or of the wrong kind.</summary>
    private static readonly Gen<JsonNode?> HostileValue = Gen.Frequency(
        (3, Gen.OneOf("a\r\nb", "\0", new string('z', 3000), "x\u0007").Select(s => (JsonNode?)s)),
        (2, Gen.Const((JsonNode?)null)),
        (2, Gen.OneOf(Gen.Long.Select(l => (JsonNode?)l), Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)d), Gen.Bool.Select(b => (JsonNode?)b))),
        (1, Gen.Const<JsonNode?>(new JsonArray(null, 1, "\0"))),
        (1, Gen.Const<JsonNode?>(new JsonObject { ["\0"] = 1 })));

    private static readonly string[] FieldNames =
    [
        "shopId", "since", "orderIds", "allFailed", "sellerSku", "storeSku", "tiktok", "store", "settings", "name", "importStatuses",
        "timeZone", "accessToken", "baseUrl", "platform", "type", "data", "x", "lines", "trackingNumber", "shippingProviderId",
    ];

    private static readonly Gen<string> HostileBody = Gen.Frequency(
        (4, Gen.OneOf(FieldNames).Array[1, 4].SelectMany(names =>
            HostileValue.Array[names.Length].Select(values =>
            {
                var body = new JsonObject();
                for (var i = 0; i < names.Length; i++)
                {
                    body[names[i]] = values[i]?.DeepClone();
                }

                return body.ToJsonString();
            }))),
        (1, Gen.OneOf("{not json", "", "[1,2]", "\"text\"", "null", "{\"a\":1}{\"b\":2}", "\u00ff\u00fe")),
        (1, Gen.Int[20, 3000].Select(depth => new string('[', depth) + new string(']', depth))),
        (1, Gen.Int[70 * 1024, 1200 * 1024].Select(size => "{\"name\":\"" + new string('n', size) + "\"}")));

    /// <summary>
    /// Path and query text stays under the request line a front door reads (Kestrel: 8 KB); a longer line is refused by the
    /// Functions host before any app code runs.
    /// </summary>
    private static readonly Gen<string> HostileUrlText = HostileText.Select(t => t.Length > 2_000 ? t[..2_000] : t);

    /// <summary>A NUL in a path is refused by Kestrel itself (400, before any middleware), in the Functions host as here.</summary>
    private static readonly Gen<string> HostilePathText = HostileUrlText.Select(t => t.Replace("\0", "\\0", StringComparison.Ordinal));

    private static Gen<HostileRequest> RequestFor(HttpRoute route) =>
        from method in Gen.OneOf([.. route.Methods.Select(m => m.ToUpperInvariant())])
        from segments in Gen.Frequency((1, Gen.Const(KnownShop)), (2, HostilePathText)).Array[route.Parameters.Count]
        from query in Gen.OneOf(
            Gen.Const(""),
            Gen.Const($"shopId={KnownShop}&shopId={KnownShop}"),
            from name in Gen.OneOf(Gen.OneOf("shopId", "status", "q", "limit", "pageSize", "continuation", "runId", "orderId"), HostileUrlText)
            from value in Gen.Frequency((1, Gen.Const(KnownShop)), (3, HostileUrlText))
            select $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}")
        from body in method is "GET" ? Gen.Const((string?)null) : HostileBody.Select(b => (string?)b)
        select new HostileRequest(route, method, route.PathWith(segments) + (query.Length > 0 ? "?" + query : ""),
            body is null ? null : Encoding.UTF8.GetBytes(body));

    [GeneratedRegex(@"\b(Connector|System|Microsoft)\.[A-Z][A-Za-z]+|   at [A-Z]")]
    private static partial Regex DotNetName();

    private sealed record HostileRequest(HttpRoute Route, string Method, string PathAndQuery, byte[]? Body, params (string Name, string Value)[] Headers)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Body);
                message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            foreach (var (name, value) in Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            return message;
        }

        public override string ToString()
        {
            var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
            return $"{Method} {Shorten(PathAndQuery)} body {Body?.Length ?? 0} B '{Shorten(body)}'";
        }

        private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + $"…({text.Length})";
    }
}

/// <summary>The HTTP-triggered functions of the app, read from functions/*/function.json (design §2: the host reads the same files).</summary>
public sealed record HttpRoute(string Name, string Route, IReadOnlyList<string> Methods, IReadOnlyList<string> Parameters)
{
    public string PathWith(IReadOnlyList<string> values)
    {
        var path = Route;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var value = Uri.EscapeDataString(values[i]);
            path = Regex.Replace(path, "\\{\\*?" + Regex.Escape(Parameters[i]) + "\\}", value.Length == 0 ? "%20" : value.Replace("$", "$$", StringComparison.Ordinal));
        }

        return "/api/" + path;
    }

    public static IReadOnlyList<HttpRoute> Load()
    {
        var routes = new List<HttpRoute>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Functions, "function.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var binding in json.RootElement.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger")
                {
                    continue;
                }

                var route = binding.GetProperty("route").GetString()!;
                var methods = binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToList();
                var parameters = Regex.Matches(route, "\\{\\*?([A-Za-z]+)\\}").Select(m => m.Groups[1].Value).ToList();
                routes.Add(new HttpRoute(Path.GetFileName(Path.GetDirectoryName(file)!), route, methods, parameters));
            }
        }

        return routes;
    }
}
