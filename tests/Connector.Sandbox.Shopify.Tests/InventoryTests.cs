using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>
/// The stock side (issue 14): inventoryItem(id:) → its variant with inventoryQuantity, the catalogue by pages, and
/// inventory_levels/update webhooks (REST inventory_level body, signed) for every change of a variant's available stock.
/// </summary>
public sealed class InventoryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private const string ItemQuery = """
        query Item($id: ID!) { inventoryItem(id: $id) { id variant { id sku inventoryQuantity } } }
        """;

    [Fact]
    public async Task An_inventory_item_answers_its_variant_with_the_available_stock()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Mug", ("MUG-1", 9m, 7));
        var item = shop.Shop.Variants.Single().InventoryItemId;

        var data = await shop.DataAsync(ItemQuery, new { id = item });

        Assert.Equal("MUG-1", (string?)data["inventoryItem"]!["variant"]!["sku"]);
        Assert.Equal(7, (int?)data["inventoryItem"]!["variant"]!["inventoryQuantity"]);
    }

    [Fact]
    public async Task An_unknown_inventory_item_is_null_and_a_gid_of_another_type_is_refused_as_an_invalid_global_id()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Mug", ("MUG-1", 9m, 7))[0];

        var unknown = await shop.DataAsync(ItemQuery, new { id = "gid://shopify/InventoryItem/999999" });
        var (status, wrongType) = await shop.PostAsync(ItemQuery, new { id = variant });

        Assert.Null(unknown["inventoryItem"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Invalid global id", (string?)wrongType["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_pages_refuse_more_than_250_variants_a_page()
    {
        await using var shop = await TestShop.StartAsync();
        const string query = "query($first: Int!) { productVariants(first: $first) { nodes { id } } }";

        var (_, tooMany) = await shop.PostAsync(query, new { first = 251 });
        var ok = await shop.DataAsync(query, new { first = 250 });

        Assert.NotNull(tooMany["errors"]);
        Assert.NotNull(ok["productVariants"]);
    }

    [Fact]
    public async Task Every_stock_change_sends_a_signed_inventory_levels_update_and_an_unchanged_quantity_sends_none()
    {
        await using var shop = await TestShop.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await WebhookSubscriptionTests.SubscribeAsync(shop, "INVENTORY_LEVELS_UPDATE", receiver.Url("/stock"));
        Assert.Empty(created["userErrors"]!.AsArray());
        shop.Shop.AddProduct("Mug", ("MUG-1", 9m, 7));
        var item = shop.Shop.Variants.Single().InventoryItemId;

        shop.Shop.SetInventory("MUG-1", 3);
        shop.Shop.SetInventory("MUG-1", 3);
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var received = Assert.Single(receiver.At("/stock"));
        Assert.Equal("inventory_levels/update", received.Topic);
        Assert.True(received.HmacValid(shop.Shop.ApiSecretKey));
        var body = received.Json;
        Assert.Equal(long.Parse(item[(item.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture), (long?)body["inventory_item_id"]);
        Assert.Equal(SimShopifyShop.LocationNumber, (long?)body["location_id"]);
        Assert.Equal(3, (int?)body["available"]);
        Assert.True(DateTimeOffset.TryParse((string?)body["updated_at"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
    }

    [Fact]
    public async Task An_order_claiming_stock_sends_the_inventory_webhook_too()
    {
        await using var shop = await TestShop.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await WebhookSubscriptionTests.SubscribeAsync(shop, "INVENTORY_LEVELS_UPDATE", receiver.Url("/stock"));
        var variant = shop.Shop.AddProduct("Mug", ("MUG-1", 9m, 7))[0];

        await shop.CreateOrderAsync(variant, 2, "576-9", "DECREMENT_OBEYING_POLICY");
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        Assert.Equal(5, (int?)Assert.Single(receiver.At("/stock")).Json["available"]);
    }
}
