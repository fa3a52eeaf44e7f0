using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>GET /api/orders/fetch/{runId}?shopId=: a Fetch Order run's progress as data (issue 11).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class FetchRunTests(ITestOutputHelper output)
{
    private const string SearchPath = "/order/202309/orders/search";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RunAsync(TestSandbox sandbox, string shopId, string runId)
    {
        using var response = await sandbox.Api.GetAsync($"/api/orders/fetch/{runId}?shopId={shopId}");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<string> PressAsync(TestSandbox sandbox, string shopId, bool joined, long? since = null)
    {
        using var response = since is null
            ? await sandbox.FetchAsync(shopId)
            : await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId, since });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(joined, body.GetProperty("joined").GetBoolean());
        return body.GetProperty("runId").GetString()!;
    }

    [Fact]
    public async Task A_run_is_running_then_finished_with_its_counts_and_a_second_press_joins_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("run1");
        store.AddProduct("Mug", ("MUG-1", 9.5m, 100));
        sandbox.TikTok.CreateOrders("run1", 3, _ => TestOrders.Spec(("MUG-1", 1, 9.5m)));

        // TikTok's search answers slowly, so the run is still on its first page when the page asks.
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = SearchPath, HttpStatus = 0, Delay = TimeSpan.FromSeconds(3) });
        var runId = await PressAsync(sandbox, "run1", joined: false);
        var joinedRunId = await PressAsync(sandbox, "run1", joined: true);
        var (status, running) = await RunAsync(sandbox, "run1", runId);

        Assert.Equal(runId, joinedRunId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(runId, running.GetProperty("runId").GetString());
        Assert.Equal("run1", running.GetProperty("shopId").GetString());
        Assert.Equal("merchant", running.GetProperty("trigger").GetString());
        Assert.False(running.TryGetProperty("finishedAt", out _));

        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        var (_, finished) = await RunAsync(sandbox, "run1", runId);

        Assert.Equal("finished", finished.GetProperty("status").GetString());
        Assert.Equal(1, finished.GetProperty("pages").GetInt32());
        Assert.Equal(3, finished.GetProperty("ordersSeen").GetInt32());
        Assert.Equal(3, finished.GetProperty("ordersQueued").GetInt32());
        Assert.True(finished.GetProperty("finishedAt").GetDateTimeOffset() >= finished.GetProperty("startedAt").GetDateTimeOffset());
        Assert.False(finished.TryGetProperty("stoppedBecause", out _));
    }

    [Fact]
    public async Task An_earlier_run_the_orders_cursor_remembers_is_finished_and_an_unknown_one_is_404()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("run2");
        store.AddProduct("Mug", ("MUG-1", 9.5m, 100));
        sandbox.TikTok.CreateOrders("run2", 2, _ => TestOrders.Spec(("MUG-1", 1, 9.5m)));
        var first = await PressAsync(sandbox, "run2", joined: false);
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        // A run asked for "since now" leaves a gap after the cursor, so it replaces the run row but not the cursor.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await PressAsync(sandbox, "run2", joined: false, since: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var (status, remembered) = await RunAsync(sandbox, "run2", first);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("finished", remembered.GetProperty("status").GetString());
        Assert.Equal(first, remembered.GetProperty("runId").GetString());
        Assert.Equal("merchant", remembered.GetProperty("trigger").GetString());
        Assert.Equal(2, remembered.GetProperty("ordersSeen").GetInt32());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(first[1..], System.Globalization.CultureInfo.InvariantCulture)),
            remembered.GetProperty("startedAt").GetDateTimeOffset());
        Assert.True(remembered.TryGetProperty("finishedAt", out _));

        var (_, current) = await RunAsync(sandbox, "run2", second);
        Assert.Equal("finished", current.GetProperty("status").GetString());

        var (unknown, problem) = await RunAsync(sandbox, "run2", "m123");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        var (noShop, _) = await RunAsync(sandbox, "nobody", first);
        Assert.Equal(HttpStatusCode.NotFound, noShop);
    }

    public static TheoryData<string, string> HostileInput => new()
    {
        // Run ids: not 'm'/'t' + 1–20 digits. (An encoded NUL never reaches the handler: the server refuses the path itself.)
        { "run3", "x123" },
        { "run3", "M123" },
        { "run3", "m" },
        { "run3", "m12a" },
        { "run3", "m-1" },
        { "run3", "m" + new string('9', 21) },
        { "run3", "t" + new string('1', 500) },
        { "run3", "m1%20" },
        { "run3", "%3Cscript%3E" },
        { "run3", "m1'%20OR%20'1'='1" },

        // Shop ids: missing, or not table-key safe.
        { "", "m1" },
        { "a%20b", "m1" },
        { "..%2F..%2Fetc", "m1" },
        { new string('s', 65), "m1" },
        { "shop%27", "m1" },
    };

    [Theory]
    [MemberData(nameof(HostileInput))]
    public async Task Hostile_run_or_shop_ids_are_400_problems_never_500(string shopId, string runId)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("run3");

        using var response = await sandbox.Api.GetAsync($"/api/orders/fetch/{runId}?shopId={shopId}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(shopId.Length is > 0 and <= 64 && !shopId.Contains('%', StringComparison.Ordinal) ? "runId" : "shopId", out _), problem.ToString());
    }
}
