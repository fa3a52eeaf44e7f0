using System.Net.Http.Json;
using Connector.Sandbox.Etsy;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;

namespace Connector.Sandbox.Run;

/// <summary>A demo merchant: a TikTok shop, a Shopify store with a small catalogue, and orders in every state.</summary>
internal static class DemoData
{
    public const string ShopId = "demo-shop";

    /// <summary>A second TikTok shop whose store is Etsy: its seller-shipped orders can only be shipped from the order page.</summary>
    public const string EtsyShopId = "demo-etsy";

    public const string EtsyKeystring = "demo_etsy_keystring";
    public const string EtsySharedSecret = "demo_etsy_shared_secret";

    private static readonly (string Sku, string Product, decimal Price)[] Catalogue =
    [
        ("MUG-RED", "Ceramic mug — red", 12.50m),
        ("MUG-BLUE", "Ceramic mug — blue", 12.50m),
        ("CAP-BLACK", "Baseball cap — black", 19.90m),
        ("TEE-M", "Organic tee — M", 24.00m),
        ("TEE-L", "Organic tee — L", 24.00m),
    ];

    private static readonly string[] Customers =
        ["Alice Martin", "Bob Stone", "Chloé Dubois", "Diego Alvarez", "Emma Wilson", "Farah Khan", "Grace Lee", "Hugo Weber"];

    public static async Task<IReadOnlyList<SimOrder>> SeedAsync(TikTokSimulator tiktok, ShopifySimulator shopify, HttpClient api, CancellationToken cancellationToken)
    {
        var created = new List<SimOrder>();
        var shop = tiktok.AddShop(ShopId, "Demo TikTok Shop");
        var store = shopify.AddShop("demo-store", "shpat_demo_token_0000000000000000");
        foreach (var (sku, product, price) in Catalogue)
        {
            store.AddProduct(product, (sku, price, 500));
        }

        using var connect = await api.PutAsJsonAsync($"api/shops/{ShopId}", new
        {
            name = "Demo TikTok Shop",
            tiktok = new
            {
                shopCipher = shop.Cipher,
                accessToken = shop.AccessToken,
                accessTokenExpiresAt = shop.AccessTokenExpiresAt,
                refreshToken = shop.RefreshToken,
                refreshTokenExpiresAt = shop.RefreshTokenExpiresAt,
            },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey },
            settings = new { timeZone = "Europe/Paris", monthlyOrderLimit = 500 },
        }, cancellationToken);
        connect.EnsureSuccessStatusCode();

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var random = new Random(20261122);
        for (var i = 0; i < 36; i++)
        {
            var item = Catalogue[random.Next(Catalogue.Length)];
            var lines = new List<SimLineSpec> { new() { SellerSku = item.Sku, ProductName = item.Product, SalePrice = item.Price, Quantity = 1 + random.Next(3) } };
            if (i % 9 == 4)
            {
                // Not in the Shopify catalogue: shows a failed order with its reason and the SKU mapping fix.
                lines.Add(new SimLineSpec { SellerSku = "POSTER-A3", ProductName = "Art poster A3", SalePrice = 15m });
            }

            var status = (i % 12) switch
            {
                0 => "UNPAID",
                1 => "ON_HOLD",
                2 => "CANCELLED",
                _ => "AWAITING_SHIPMENT",
            };
            var order = tiktok.CreateOrder(ShopId, new SimOrderSpec
            {
                Lines = lines,
                Status = status,
                ShippingType = i % 3 == 0 ? "TIKTOK" : "SELLER",
                CreateTime = now - (36 - i) * 5400,
                Address = new SimAddressSpec { Name = Customers[i % Customers.Length] },
            });
            if (status == "AWAITING_SHIPMENT" && i % 5 == 0)
            {
                tiktok.AdvanceTo(order.Id, i % 10 == 0 ? "DELIVERED" : "IN_TRANSIT");
            }

            created.Add(order);
        }

        return created;
    }

    /// <summary>
    /// The Etsy demo shop: two listings and three seller-shipped orders waiting for shipment (one of several units, to ship
    /// in parts), ready for "Ship…" in the order dialog.
    /// </summary>
    public static async Task SeedEtsyAsync(TikTokSimulator tiktok, EtsySimulator etsy, HttpClient api, CancellationToken cancellationToken)
    {
        var shop = tiktok.AddShop(EtsyShopId, "Demo Etsy Shop");
        var store = etsy.AddShop("DemoEtsyShop");
        store.AddListing("Linen tote bag", ("TOTE-NAT", 28m, 200, [("Colour", "Natural")]), ("TOTE-BLK", 28m, 200, [("Colour", "Black")]));
        store.AddListing("Beeswax candle", ("CANDLE-S", 14m, 200, null));
        var now = DateTimeOffset.UtcNow;
        using var connect = await api.PutAsJsonAsync($"api/shops/{EtsyShopId}", new
        {
            name = "Demo Etsy Shop",
            tiktok = new
            {
                shopCipher = shop.Cipher,
                accessToken = shop.AccessToken,
                accessTokenExpiresAt = shop.AccessTokenExpiresAt,
                refreshToken = shop.RefreshToken,
                refreshTokenExpiresAt = shop.RefreshTokenExpiresAt,
            },
            store = new
            {
                platform = "etsy",
                baseUrl = $"https://www.etsy.com/shop/{store.ShopName}",
                accessToken = store.AccessToken,
                refreshToken = store.RefreshToken,
                accessTokenExpiresAt = now.AddHours(1).ToUnixTimeSeconds(),
                refreshTokenExpiresAt = now.AddDays(90).ToUnixTimeSeconds(),
                accountId = store.ShopId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            settings = new { timeZone = "Europe/Paris" },
        }, cancellationToken);
        connect.EnsureSuccessStatusCode();

        (string Customer, (string Sku, string Name, decimal Price, int Quantity)[] Lines)[] orders =
        [
            ("Iris Novak", [("TOTE-NAT", "Linen tote bag", 28m, 2), ("CANDLE-S", "Beeswax candle", 14m, 3)]),
            ("Jonas Berg", [("TOTE-BLK", "Linen tote bag", 28m, 1)]),
            ("Keiko Sato", [("CANDLE-S", "Beeswax candle", 14m, 1)]),
        ];
        foreach (var (customer, lines) in orders)
        {
            tiktok.CreateOrder(EtsyShopId, new SimOrderSpec
            {
                Lines = [.. lines.Select(l => new SimLineSpec { SellerSku = l.Sku, ProductName = l.Name, SalePrice = l.Price, Quantity = l.Quantity })],
                ShippingType = "SELLER",
                CreateTime = now.ToUnixTimeSeconds() - 3600,
                Address = new SimAddressSpec { Name = customer },
            });
        }
    }

    /// <summary>
    /// After the first import, what happens to orders later (webhooks carry it to Connector): a seller-shipped order waits
    /// for collection, one is partly shipped, one is completed, a buyer asks to cancel one (the "Cancellation requested"
    /// tab), and delivered or shipped orders get returns in each Returns tab. Each tab of the order page then has orders.
    /// </summary>
    public static void AfterImport(TikTokSimulator tiktok, IReadOnlyList<SimOrder> seeded)
    {
        var waiting = seeded
            .Select(o => tiktok.GetOrder(o.Id))
            .Where(o => o.Status == "AWAITING_SHIPMENT" && o.ShippingType == "SELLER" && o.LineItems.All(l => l.SellerSku != "POSTER-A3"))
            .ToList();
        var partly = waiting.FirstOrDefault(o => o.LineItems.Count >= 2);
        if (partly is not null)
        {
            tiktok.AdvanceTo(partly.Id, "PARTIALLY_SHIPPING");
            waiting.Remove(partly);
        }

        string[] next = ["AWAITING_COLLECTION", "COMPLETED"];
        foreach (var (order, status) in waiting.Zip(next))
        {
            tiktok.AdvanceTo(order.Id, status);
        }

        if (waiting.Skip(next.Length).FirstOrDefault() is { } asked)
        {
            tiktok.RequestBuyerCancellation(asked.Id, "ecom_order_to_ship_canceled_reason_no_longer_needed");
        }

        // Returns in every tab of the Returns view: pending, awaiting the buyer's shipment, shipped back, cancelled by the
        // buyer, and a refund TikTok completed (which Connector carries to the store).
        var returnable = seeded.Select(o => tiktok.GetOrder(o.Id)).Where(o => o.Status is "DELIVERED" or "IN_TRANSIT").ToList();
        if (returnable.Count > 0)
        {
            tiktok.CreateReturn(returnable[0].Id, new SimReturnSpec());
        }

        if (returnable.Count > 1)
        {
            var awaiting = tiktok.CreateReturn(returnable[1].Id, new SimReturnSpec { ReasonText = "Does not fit" });
            tiktok.ApproveReturnInSellerCenter(awaiting.ReturnId);
        }

        if (returnable.Count > 2)
        {
            var shipped = tiktok.CreateReturn(returnable[2].Id, new SimReturnSpec { ReasonText = "Arrived damaged" });
            tiktok.ApproveReturnInSellerCenter(shipped.ReturnId);
            tiktok.ShipReturn(shipped.ReturnId);
        }

        if (returnable.Count > 3)
        {
            tiktok.CancelReturn(tiktok.CreateReturn(returnable[3].Id, new SimReturnSpec { ReasonText = "Ordered by mistake" }).ReturnId);
        }

        if (returnable.Count > 4)
        {
            var refund = tiktok.CreateReturn(returnable[4].Id, new SimReturnSpec { ReturnType = "REFUND", ReasonText = "Missing item" });
            tiktok.ApproveReturnInSellerCenter(refund.ReturnId);
        }
    }
}
