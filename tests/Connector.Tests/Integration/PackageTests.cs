using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox;
using Connector.Sandbox.Functions;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// The deployable package (design §6.3) runs as the Functions host runs it: the host emulation starts the packaged,
/// self-contained handler from host.json (not the build output) and an order goes all the way to Shopify.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Packaged_function_app_imports_an_order_under_the_host_emulation()
    {
        var package = await PackageAsync();

        // Layout: host.json at the root, one folder per function, the executable named by host.json, +x kept in the zip.
        Assert.True(File.Exists(Path.Combine(package, "host.json")));
        foreach (var function in Directory.GetDirectories(RepositoryPaths.Functions).Where(d => File.Exists(Path.Combine(d, "function.json"))))
        {
            Assert.True(File.Exists(Path.Combine(package, Path.GetFileName(function), "function.json")), $"{Path.GetFileName(function)} missing from the package");
        }

        using (var zip = ZipFile.OpenRead(Path.Combine(RepositoryPaths.Root, "artifacts", "functionapp.zip")))
        {
            var handler = zip.GetEntry("Connector.Handler") ?? throw new InvalidOperationException("no handler in the zip");
            Assert.NotEqual(0, (handler.ExternalAttributes >> 16) & 0b001_001_001);
            Assert.NotNull(zip.GetEntry("host.json"));
        }

        var azurite = await SharedAzurite.GetAsync();
        await using var tiktok = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { AppKey = TestSandbox.AppKey, AppSecret = TestSandbox.AppSecret });
        await using var shopify = await ShopifySimulator.StartAsync(new ShopifySimulatorOptions());
        var options = new FunctionsHostOptions { ScriptRoot = package, EnableTimers = false, Log = output.WriteLine };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OrdersQueueName"] = "orders",
            ["BulkQueueName"] = "bulk",
            ["FetchSchedule"] = "0 */5 * * * *",
            ["TikTok__ApiBaseUrl"] = tiktok.BaseUrl.ToString(),
            ["TikTok__AuthBaseUrl"] = tiktok.BaseUrl.ToString(),
            ["TikTok__AppKey"] = TestSandbox.AppKey,
            ["TikTok__AppSecret"] = TestSandbox.AppSecret,
            ["Stores__AllowLoopback"] = "true",
            ["State__TablePrefix"] = "pkg" + Guid.NewGuid().ToString("N")[..8],
        })
        {
            options.Settings[key] = value;
        }

        await using var host = await FunctionsHost.StartAsync(options);
        Assert.NotNull(host.HandlerProcessId);
        using var api = new HttpClient { BaseAddress = host.BaseUrl };
        var shop = tiktok.AddShop("pkgshop");
        var store = shopify.AddShop("store-pkg");
        store.AddProduct("Cap", ("CAP-1", 12m, 10));
        using var connect = await api.PutAsJsonAsync("/api/shops/pkgshop", new
        {
            tiktok = new { shopCipher = shop.Cipher, accessToken = shop.AccessToken, accessTokenExpiresAt = shop.AccessTokenExpiresAt, refreshToken = shop.RefreshToken, refreshTokenExpiresAt = shop.RefreshTokenExpiresAt },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken },
        });
        connect.EnsureSuccessStatusCode();
        var order = tiktok.CreateOrder("pkgshop", new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "CAP-1", SalePrice = 12m }], ShippingType = "SELLER" });

        using var fetch = await api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "pkgshop" });
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(order.Id, Assert.Single(store.Orders).SourceIdentifier);
        var view = await api.GetFromJsonAsync<JsonElement>($"/api/orders/{order.Id}?shopId=pkgshop");
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        using var page = await api.GetAsync("/api/app?shopId=pkgshop");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Runs the README's package command (./build.sh package) once per test run.</summary>
    private static async Task<string> PackageAsync()
    {
        var start = new ProcessStartInfo("bash", ["build.sh", "package"])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"./build.sh package failed:\n{await stdout}\n{await stderr}");
        return Path.Combine(RepositoryPaths.Root, "artifacts", "functionapp");
    }
}
