namespace Connector.Stores.Shopify;

/// <summary>The GraphQL documents Connector sends; tests validate each against the 2026-01 Admin schema.</summary>
public static class ShopifyQueries
{
    public const string FindVariantsBySku = """
        query FindVariantsBySku($query: String!) {
          productVariants(first: 10, query: $query) {
            nodes { id sku title product { title } }
          }
        }
        """;

    public const string FindOrderBySource = """
        query FindOrderBySource($query: String!) {
          orders(first: 5, query: $query) {
            nodes { id name sourceIdentifier cancelledAt }
          }
        }
        """;

    public const string OrderCreate = """
        mutation CreateOrder($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
          orderCreate(order: $order, options: $options) {
            order { id name }
            userErrors { field message code }
          }
        }
        """;

    public static IEnumerable<string> All => [FindVariantsBySku, FindOrderBySource, OrderCreate];
}
