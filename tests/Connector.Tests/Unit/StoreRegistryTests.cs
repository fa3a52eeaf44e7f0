using Connector.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Tests.Unit;

/// <summary>The store registry: every platform connects, finds products and writes orders; only platforms with store orders have a change feed.</summary>
public sealed class StoreRegistryTests
{
    [Fact]
    public void Every_platform_has_a_connection_a_catalogue_and_an_order_writer()
    {
        using var app = Build();
        var stores = app.Services.GetRequiredService<StoreClients>();

        Assert.Equal(["etsy", "prestashop", "shopify"], stores.Platforms.Order(StringComparer.Ordinal));
        foreach (var platform in stores.Platforms)
        {
            Assert.Equal(platform, stores.Connection(platform).Platform);
            Assert.NotNull(stores.Catalog(platform));
            Assert.NotNull(stores.Orders(platform));
            Assert.NotEqual(platform, stores.DisplayName(platform));
        }
    }

    [Fact]
    public void Etsy_has_no_change_feed_and_the_platforms_with_store_orders_do()
    {
        using var app = Build();
        var stores = app.Services.GetRequiredService<StoreClients>();

        Assert.Null(stores.ChangeFeed("etsy"));
        Assert.NotNull(stores.ChangeFeed("shopify"));
        Assert.NotNull(stores.ChangeFeed("PrestaShop"));
        Assert.Null(stores.ChangeFeed(""));
        Assert.Throws<StoreRejectedException>(() => stores.Orders("magento"));
    }

    // Building clients builds their table clients, which need a connection string (nothing is called).
    private static WebApplication Build() => ConnectorApp.Build([], builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));
}
