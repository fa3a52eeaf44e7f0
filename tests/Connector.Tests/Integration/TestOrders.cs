using Connector.Sandbox.TikTok;

namespace Connector.Tests.Integration;

/// <summary>Orders and catalogue entries the integration tests use.</summary>
public static class TestOrders
{
    public static SimOrderSpec Spec(params (string Sku, int Quantity, decimal Price)[] lines) => new()
    {
        Lines = lines.Select(l => new SimLineSpec { SellerSku = l.Sku, Quantity = l.Quantity, SalePrice = l.Price, ProductName = $"Product {l.Sku}" }).ToList(),
        ShippingType = "SELLER",
    };

    public static SimOrderSpec Spec(string status, params (string Sku, int Quantity, decimal Price)[] lines) =>
        Spec(lines) with { Status = status };
}
