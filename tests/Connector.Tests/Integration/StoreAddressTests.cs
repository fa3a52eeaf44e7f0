using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Connector.Sandbox;
using Connector.Sandbox.TikTok;
using Connector.State;
using Connector.Stores;
using Connector.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Issue 10 item 3, design §3 and §6.1: the store connection check calls only https public addresses (Stores__AllowLoopback
/// relaxes that for the sandbox), never follows a redirect with the store's credentials, and answers a store that misbehaves
/// with a 502 or 504 problem saying what happened, never a 500; nothing is saved unless the check passed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StoreAddressTests(ITestOutputHelper output)
{
    private const string Token = "shpat_outbound_secret_0123456789";
    private const string PrestaShopKey = "OUTBOUND0123456789ABCDEFGHIJKLMN";

    [Fact]
    public async Task Without_allow_loopback_an_address_that_is_not_public_https_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureHandler = builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Stores:AllowLoopback"] = "false" });

                // A public-looking name whose DNS answer is this machine (the DNS-rebinding shape), without a real DNS server.
                builder.Services.AddSingleton<IStoreHostResolver>(new FixedResolver(new() { ["my-shop.example.com"] = [IPAddress.Loopback] }));
            },
        });
        var cases = new (string Url, string Reason)[]
        {
            ("http://my-shop.example.com", "https://"),
            ("https://merchant:hunter2secret@my-shop.example.com", "user name or password"),
            ("https://169.254.169.254", "cloud metadata"),
            ("https://[::ffff:169.254.169.254]", "cloud metadata"),
            ("https://metadata.google.internal", "cloud metadata"),
            ("https://localhost", "this machine"),
            ("https://10.1.2.3", "private network"),
            ("https://my-shop.example.com", "resolves to 127.0.0.1"),
        };

        var index = 0;
        foreach (var (url, reason) in cases)
        {
            var tiktokShop = sandbox.TikTok.AddShop($"addr{index++}");
            using var response = await sandbox.PutShopAsync(tiktokShop, new { platform = "shopify", baseUrl = url, accessToken = Token });

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = await ProblemAsync(response);
            var message = problem.GetProperty("errors").GetProperty("store.baseUrl")[0].GetString()!;
            Assert.Contains(reason, message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2secret", message, StringComparison.Ordinal);
            using var stored = await sandbox.Api.GetAsync(new Uri($"/api/shops/{tiktokShop.ShopId}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        }

        Assert.DoesNotContain(sandbox.Logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_redirects_gets_no_credentials_followed_and_the_merchant_is_told_where_it_points()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await using var target = await FakeStore.StartAsync(_ => Task.CompletedTask);
        await using var store = await FakeStore.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(target.BaseUrl, context.Request.Path + "?session=abc").ToString();
            return Task.CompletedTask;
        });
        await using var prestaShop = await FakeStore.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = new Uri(target.BaseUrl, context.Request.Path).ToString();
            return Task.CompletedTask;
        });

        var shopify = sandbox.TikTok.AddShop("redirect1");
        using var shopifyAnswer = await sandbox.PutShopAsync(shopify, new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = Token });
        var presta = sandbox.TikTok.AddShop("redirect2");
        using var prestaAnswer = await sandbox.PutShopAsync(presta, new { platform = "prestashop", baseUrl = prestaShop.BaseUrl.ToString(), apiKey = PrestaShopKey });

        foreach (var answer in new[] { shopifyAnswer, prestaAnswer })
        {
            Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
            var detail = (await ProblemAsync(answer)).GetProperty("detail").GetString()!;
            Assert.Contains($"redirecting to {target.BaseUrl.Scheme}://{target.BaseUrl.Authority}/", detail, StringComparison.Ordinal);
            Assert.Contains("store.baseUrl", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("session=abc", detail, StringComparison.Ordinal);
        }

        Assert.Equal(Token, Assert.Single(store.Requests).Token);
        Assert.Single(prestaShop.Requests);
        Assert.Empty(target.Requests);
        await AssertNotStoredAsync(sandbox, "redirect1", "redirect2");
    }

    public static TheoryData<string, string> NotTheApi => new()
    {
        { "shopify", "html" }, { "shopify", "empty" }, { "shopify", "deep" }, { "shopify", "not-graphql" },
        { "prestashop", "html" }, { "prestashop", "empty" }, { "prestashop", "deep" },
    };

    [Theory]
    [MemberData(nameof(NotTheApi))]
    public async Task A_store_answering_something_its_api_never_does_is_a_502_saying_what_came_back(string platform, string answer)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await using var store = await FakeStore.StartAsync(context => Answer(context, answer));
        var tiktokShop = sandbox.TikTok.AddShop($"odd-{platform}-{answer}");

        using var response = await sandbox.PutShopAsync(tiktokShop, platform == "shopify"
            ? new { platform, baseUrl = store.BaseUrl.ToString(), accessToken = Token }
            : new { platform, baseUrl = store.BaseUrl.ToString(), apiKey = PrestaShopKey });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await ProblemAsync(response);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("answered HTTP 200 with", detail, StringComparison.Ordinal);
        Assert.Contains(answer switch
        {
            "html" => "text/html: \"Parked domain This domain is for sale",
            "empty" => "an empty body",
            "deep" => "JSON nested deeper than 64 levels",
            _ => "application/json: \"{ hello : world }\"",
        }, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(PrestaShopKey, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PrestaShopKey + ":")), detail, StringComparison.Ordinal);
        Assert.Equal("The store's answer is not what its API returns.", problem.GetProperty("title").GetString());
        Assert.NotEmpty(store.Requests);
        await AssertNotStoredAsync(sandbox, tiktokShop.ShopId);
    }

    [Fact]
    public async Task A_store_that_accepts_the_connection_and_never_answers_is_a_504_within_the_budget()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await using var store = await FakeStore.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var tiktokShop = sandbox.TikTok.AddShop("silent1");

        var clock = Stopwatch.StartNew();
        using var response = await sandbox.PutShopAsync(tiktokShop, new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = Token });
        clock.Stop();
        output.WriteLine($"504 after {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer within 10 s", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9.5), TimeSpan.FromSeconds(13));
        Assert.Single(store.Requests);
        await AssertNotStoredAsync(sandbox, "silent1");
    }

    [Fact]
    public async Task A_silent_prestashop_is_a_504_within_a_configured_budget_despite_its_read_retries()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureHandler = builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Stores:ConnectionCheckTimeout"] = "00:00:03" }),
        });
        await using var store = await FakeStore.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var tiktokShop = sandbox.TikTok.AddShop("silent2");

        var clock = Stopwatch.StartNew();
        using var response = await sandbox.PutShopAsync(tiktokShop, new { platform = "prestashop", baseUrl = store.BaseUrl.ToString(), apiKey = PrestaShopKey });
        clock.Stop();
        output.WriteLine($"504 after {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer within 3 s", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(6));
        await AssertNotStoredAsync(sandbox, "silent2");
    }

    [Fact]
    public async Task A_store_that_refuses_the_connection_is_still_a_502()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var tiktokShop = sandbox.TikTok.AddShop("refused1");
        using var response = await sandbox.PutShopAsync(tiktokShop, new { platform = "shopify", baseUrl = $"http://127.0.0.1:{port}", accessToken = Token });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be reached", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNotStoredAsync(sandbox, "refused1");
    }

    [Fact]
    public async Task A_credential_with_a_line_break_is_a_400_naming_the_field_and_the_store_is_not_called()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await using var store = await FakeStore.StartAsync(_ => Task.CompletedTask);
        var tiktokShop = sandbox.TikTok.AddShop("crlf1");

        using var response = await sandbox.PutShopAsync(tiktokShop, new
        {
            platform = "shopify",
            baseUrl = store.BaseUrl.ToString(),
            accessToken = "shpat_abc\r\nX-Injected: yes",
            webhookSecret = "secret\n",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("line break", errors.GetProperty("store.accessToken")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("store.webhookSecret", out _), errors.ToString());
        Assert.Empty(store.Requests);
        await AssertNotStoredAsync(sandbox, "crlf1");
    }

    [Fact]
    public async Task On_the_queue_a_store_answering_html_or_redirecting_reschedules_the_order_with_the_reason_not_a_500()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, simulated) = await sandbox.ConnectShopAsync("queued1");
        simulated.AddProduct("Cap", ("CAP-1", 12m, 50));
        await using var target = await FakeStore.StartAsync(_ => Task.CompletedTask);
        var answer = "html";
        await using var store = await FakeStore.StartAsync(context =>
        {
            if (answer == "redirect")
            {
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = new Uri(target.BaseUrl, context.Request.Path).ToString();
                return Task.CompletedTask;
            }

            return Answer(context, answer);
        });

        // The store moved after it was connected: its saved address now answers a parked page.
        var shops = sandbox.Handler.Services.GetRequiredService<ShopStore>();
        var shop = (await shops.GetAsync("queued1", CancellationToken.None))!;
        shop.StoreBaseUrl = store.BaseUrl.ToString().TrimEnd('/');
        await shops.UpsertAsync(shop, CancellationToken.None);

        foreach (var (kind, expected) in new[] { ("html", "Shopify answered HTTP 200 with text/html"), ("redirect", "Shopify answered HTTP 307, redirecting to") })
        {
            answer = kind;
            var order = sandbox.TikTok.CreateOrder("queued1", TestOrders.Spec(("CAP-1", 1, 12m)));
            using var response = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage",
                StoreTestSupport.Invocation("queued1", order.Id, sandbox.TikTok.GetOrder(order.Id).UpdateTime, $"m-queued1-{kind}"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var log = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString()!;
            Assert.Contains("Rescheduled", log, StringComparison.Ordinal);
            Assert.Contains($"Your store did not answer ({expected}", log, StringComparison.Ordinal);
            Assert.DoesNotContain(simulated.AccessToken, log, StringComparison.Ordinal);
        }

        Assert.Empty(simulated.Orders);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task On_the_queue_a_saved_address_that_is_not_allowed_fails_the_order_with_the_reason_and_a_retry()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, simulated) = await sandbox.ConnectShopAsync("queued2");
        simulated.AddProduct("Cap", ("CAP-1", 12m, 50));

        // A row saved before addresses were checked (or written by hand): private even for the sandbox's AllowLoopback.
        var shops = sandbox.Handler.Services.GetRequiredService<ShopStore>();
        var shop = (await shops.GetAsync("queued2", CancellationToken.None))!;
        shop.StoreBaseUrl = "http://10.0.0.1:8080";
        await shops.UpsertAsync(shop, CancellationToken.None);
        var order = sandbox.TikTok.CreateOrder("queued2", TestOrders.Spec(("CAP-1", 1, 12m)));

        using var response = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage",
            StoreTestSupport.Invocation("queued2", order.Id, sandbox.TikTok.GetOrder(order.Id).UpdateTime, "m-queued2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await sandbox.GetOrderAsync("queued2", order.Id);
        Assert.Equal("STORE_REJECTED", view.GetProperty("failureCode").GetString());
        Assert.Contains("private network address (10.0.0.1)", view.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Empty(simulated.Orders);
    }

    /// <summary>Answers as a store never does; the HTML one echoes the credentials the request carried, which no message may repeat.</summary>
    private static Task Answer(HttpContext context, string answer)
    {
        switch (answer)
        {
            case "html":
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync($"<!doctype html><html><head><title>Parked domain</title></head><body><p>This domain is for sale. {context.Request.Headers["X-Shopify-Access-Token"]} {context.Request.Headers.Authorization}</p></body></html>");
            case "empty":
                context.Response.ContentType = "application/json";
                return Task.CompletedTask;
            case "deep":
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(new string('[', 2000) + new string(']', 2000));
            default:
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync("{\"hello\":\"world\"}");
        }
    }

    private static async Task AssertNotStoredAsync(TestSandbox sandbox, params string[] shopIds)
    {
        foreach (var shopId in shopIds)
        {
            using var stored = await sandbox.Api.GetAsync(new Uri($"/api/shops/{shopId}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A store at a loopback address that answers as the test says and records each request's path and Shopify token.</summary>
    private sealed class FakeStore : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeStore(WebApplication app, Uri baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }

        public ConcurrentQueue<(string Path, string? Token)> Requests { get; } = new();

        public static async Task<FakeStore> StartAsync(Func<HttpContext, Task> answer)
        {
            var app = LoopbackApp.CreateBuilder().Build();
            FakeStore? self = null;
            app.Run(context =>
            {
                self!.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers["X-Shopify-Access-Token"].FirstOrDefault()));
                return answer(context);
            });
            var url = await LoopbackApp.StartAsync(app);
            self = new FakeStore(app, new Uri(url.ToString().TrimEnd('/') + "/"));
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }

    private sealed class FixedResolver(Dictionary<string, IPAddress[]> names) : IStoreHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound);
    }
}
