using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Sandbox.Etsy;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>A started Etsy simulator with one app and one shop on a fake clock, and a client that sends x-api-key + Bearer.</summary>
internal sealed class EtsyTestApp : IAsyncDisposable
{
    public const string Keystring = "sandboxkeystring123";
    public const string Secret = "sandboxsecret";

    private EtsyTestApp(EtsySimulator simulator, SimEtsyShop shop, FakeTimeProvider time)
    {
        Simulator = simulator;
        Shop = shop;
        Time = time;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public EtsySimulator Simulator { get; }

    public SimEtsyShop Shop { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public static async Task<EtsyTestApp> StartAsync(int requestsPerSecond = 10, int dailyLimit = 10000)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var simulator = await EtsySimulator.StartAsync(new EtsySimulatorOptions { TimeProvider = time, RequestsPerSecond = requestsPerSecond, DailyLimit = dailyLimit });
        simulator.AddApp(Keystring, Secret);
        return new EtsyTestApp(simulator, simulator.AddShop("TikTokFinds"), time);
    }

    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)
    {
        public string Header(string name) => Headers.TryGetValues(name, out var values) ? values.First() : string.Empty;

        public string Error => (string)Body!["error"]!;
    }

    public async Task<Answer> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? apiKey = $"{Keystring}:{Secret}", string? token = "")
    {
        using var request = new HttpRequestMessage(method, new Uri(Simulator.BaseUrl, path));
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        token = token == string.Empty ? Shop.AccessToken : token;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers);
    }

    public Task<Answer> InventoryAsync(long listingId, string query = "") => SendAsync(HttpMethod.Get, $"/v3/application/listings/{listingId}/inventory{query}");

    public async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(params (string Key, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        using var response = await Http.PostAsync(Simulator.TokenUrl, content);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>A GET inventory turned into a PUT body the way Etsy wants it (§3.2): read-only fields dropped, prices as numbers.</summary>
    public static JsonObject ToPutBody(JsonNode inventory)
    {
        var products = new JsonArray();
        foreach (var product in inventory["products"]!.AsArray())
        {
            var offering = product!["offerings"]![0]!;
            var price = (decimal)(long)offering["price"]!["amount"]! / (int)offering["price"]!["divisor"]!;
            var values = new JsonArray();
            foreach (var value in product["property_values"]!.AsArray())
            {
                values.Add(new JsonObject
                {
                    ["property_id"] = value!["property_id"]!.DeepClone(),
                    ["value_ids"] = value["value_ids"]!.DeepClone(),
                    ["property_name"] = value["property_name"]!.DeepClone(),
                    ["values"] = value["values"]!.DeepClone(),
                });
            }

            products.Add(new JsonObject
            {
                ["sku"] = product["sku"]!.DeepClone(),
                ["property_values"] = values,
                ["offerings"] = new JsonArray(new JsonObject { ["price"] = price, ["quantity"] = offering["quantity"]!.DeepClone(), ["is_enabled"] = offering["is_enabled"]!.DeepClone() }),
            });
        }

        return new JsonObject
        {
            ["products"] = products,
            ["price_on_property"] = inventory["price_on_property"]!.DeepClone(),
            ["quantity_on_property"] = inventory["quantity_on_property"]!.DeepClone(),
            ["sku_on_property"] = inventory["sku_on_property"]!.DeepClone(),
        };
    }

    public long AddTeeListing() => Shop.AddListing(
        "TikTok tee",
        ("TEE-S", 19.99m, 3, [("Size", "S")]),
        ("TEE-M", 19.99m, 5, [("Size", "M")]),
        ("TEE-L", 21.99m, 2, [("Size", "L")]));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
