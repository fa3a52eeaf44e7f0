namespace Connector.Sandbox.TikTok.Tests;

/// <summary>A started simulator with one shop and a signed client for it: shop-scoped GET and POST in one line.</summary>
internal sealed class ShopApi : IAsyncDisposable
{
    public const string ShopId = "7494049642642441621";

    private ShopApi(TikTokSimulator sim, SimShop shop)
    {
        Sim = sim;
        Shop = shop;
        Client = new TikTokTestClient(TikTokTestClient.Http, sim);
    }

    public TikTokSimulator Sim { get; }

    public SimShop Shop { get; }

    public TikTokTestClient Client { get; }

    public static async Task<ShopApi> StartAsync(TikTokSimulatorOptions? options = null)
    {
        var sim = await TikTokSimulator.StartAsync(options ?? new TikTokSimulatorOptions { Seed = 5 });
        return new ShopApi(sim, sim.AddShop(ShopId));
    }

    public Task<ApiResponse> GetAsync(string path, params (string Key, string Value)[] query) =>
        Client.SendAsync(new ApiCall { Path = path, Query = Query(query), AccessToken = Shop.AccessToken });

    public Task<ApiResponse> PostAsync(string path, string body, params (string Key, string Value)[] query) =>
        Client.SendAsync(new ApiCall { Method = HttpMethod.Post, Path = path, Query = Query(query), Body = body, AccessToken = Shop.AccessToken });

    public ValueTask DisposeAsync() => Sim.DisposeAsync();

    private List<KeyValuePair<string, string>> Query((string Key, string Value)[] query) =>
        [.. query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value)), new("shop_cipher", Shop.Cipher)];
}
