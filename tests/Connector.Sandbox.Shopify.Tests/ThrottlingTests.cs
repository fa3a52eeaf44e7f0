using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>store-apis.md §2.5: cost-based leaky bucket per shop; THROTTLED answers carry the throttle status.</summary>
public sealed class ThrottlingTests
{
    // A mutation costs 10 whatever it does; closing an unknown order changes nothing.
    private const string TenPointMutation = """mutation { orderClose(input: { id: "gid://shopify/Order/1" }) { userErrors { message } } }""";

    [Fact]
    public async Task Empty_bucket_answers_THROTTLED_and_the_same_request_succeeds_after_the_restore_time()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time, BucketSize = 25, RestoreRatePerSecond = 10 });

        var (_, first) = await shop.PostAsync(TenPointMutation);
        var (_, second) = await shop.PostAsync(TenPointMutation);
        var (status, throttled) = await shop.PostAsync(TenPointMutation);

        Assert.Equal(15, (int)first["extensions"]!["cost"]!["throttleStatus"]!["currentlyAvailable"]!);
        Assert.Equal(5, (int)second["extensions"]!["cost"]!["throttleStatus"]!["currentlyAvailable"]!);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Null(throttled["data"]);
        var error = Assert.Single(throttled["errors"]!.AsArray())!;
        Assert.Equal("Throttled", (string?)error["message"]);
        Assert.Equal("THROTTLED", (string?)error["extensions"]!["code"]);
        Assert.Equal("https://shopify.dev/api/usage/rate-limits", (string?)error["extensions"]!["documentation"]);
        var cost = throttled["extensions"]!["cost"]!;
        Assert.Equal(10, (int)cost["requestedQueryCost"]!);
        Assert.Null(cost["actualQueryCost"]);
        Assert.Equal("""{"maximumAvailable":25,"currentlyAvailable":5,"restoreRate":10}""", cost["throttleStatus"]!.ToJsonString());

        time.Advance(TimeSpan.FromSeconds(0.4));
        var (_, stillThrottled) = await shop.PostAsync(TenPointMutation);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var (_, retried) = await shop.PostAsync(TenPointMutation);

        Assert.Equal("THROTTLED", (string?)stillThrottled["errors"]![0]!["extensions"]!["code"]);
        Assert.Null(retried["errors"]);
        Assert.Equal(10, (int)retried["extensions"]!["cost"]!["actualQueryCost"]!);
        Assert.Equal(0, (int)retried["extensions"]!["cost"]!["throttleStatus"]!["currentlyAvailable"]!);
    }

    [Fact]
    public async Task The_shop_counts_the_points_it_charged_and_the_requests_it_throttled()
    {
        // What the budget benchmark reads: charged = requested taken minus refunds (a query pays its actual cost), THROTTLED pays nothing.
        var time = new FakeTimeProvider();
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time, BucketSize = 25, RestoreRatePerSecond = 10 });

        var (_, query) = await shop.PostAsync("{ shop { name } }");
        await shop.PostAsync(TenPointMutation);
        await shop.PostAsync(TenPointMutation);
        var (_, throttled) = await shop.PostAsync(TenPointMutation);

        Assert.Equal("THROTTLED", (string?)throttled["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal(20 + (int)query["extensions"]!["cost"]!["actualQueryCost"]!, shop.Shop.CostCharged);
        Assert.Equal(1, shop.Shop.ThrottledRequests);
    }

    [Fact]
    public async Task Bucket_refills_to_its_size_and_no_further()
    {
        var time = new FakeTimeProvider();
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time, BucketSize = 100, RestoreRatePerSecond = 50 });

        await shop.PostAsync(TenPointMutation);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(100, shop.Shop.ThrottleStatus().CurrentlyAvailable);
    }

    [Fact]
    public async Task Each_shop_has_its_own_bucket()
    {
        var time = new FakeTimeProvider();
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time, BucketSize = 10, RestoreRatePerSecond = 1 });
        var other = shop.Simulator.AddShop("other-shop", "other-token");

        await shop.PostAsync(TenPointMutation);
        var (_, throttled) = await shop.PostAsync(TenPointMutation);

        Assert.Equal("THROTTLED", (string?)throttled["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal(10, other.ThrottleStatus().CurrentlyAvailable);
    }

    [Fact]
    public async Task ThrottleNext_forces_THROTTLED_answers_then_lets_requests_through()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.ThrottleNext(2);

        var answers = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var (_, body) = await shop.PostAsync("{ shop { name } }");
            answers.Add((string?)body["errors"]?[0]?["extensions"]?["code"] ?? (string?)body["data"]!["shop"]!["name"]);
        }

        Assert.Equal(new[] { "THROTTLED", "THROTTLED", "test-shop" }, answers);
    }
}
