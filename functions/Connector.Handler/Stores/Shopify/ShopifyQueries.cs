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

    /// <summary>The catalogue with stock: every variant (id order), its SKU, available quantity over all locations and price.</summary>
    public const string CatalogStock = """
        query CatalogStock($first: Int!, $after: String) {
          productVariants(first: $first, after: $after, sortKey: ID) {
            nodes { id sku title price inventoryQuantity updatedAt product { id title } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    public const string ShopInfo = """
        query ShopInfo { shop { name currencyCode } }
        """;

    public const string OrderState = """
        query OrderState($id: ID!) {
          order(id: $id) {
            id cancelledAt closed
            fulfillmentOrders(first: 10) {
              nodes { id status lineItems(first: 50) { nodes { id remainingQuantity totalQuantity sku } } }
            }
          }
        }
        """;

    /// <summary>What a refund needs: each line's refundable and unfulfilled units by SKU, and the refunds already made.</summary>
    public const string RefundState = """
        query RefundState($id: ID!) {
          order(id: $id) {
            id
            lineItems(first: 100) { nodes { id sku refundableQuantity unfulfilledQuantity } }
            refunds(first: 50) { id note }
          }
        }
        """;

    /// <summary>refundCreate with its idempotency key (the @idempotent directive: optional in 2026-01, required from 2026-04).</summary>
    public const string RefundCreate = """
        mutation RefundCreate($input: RefundInput!, $key: String!) {
          refundCreate(input: $input) @idempotent(key: $key) {
            refund { id }
            userErrors { field message }
          }
        }
        """;

    public const string OrderCancel = """
        mutation CancelOrder($orderId: ID!, $reason: OrderCancelReason!, $staffNote: String) {
          orderCancel(orderId: $orderId, reason: $reason, restock: true, notifyCustomer: false, staffNote: $staffNote) {
            job { id done }
            orderCancelUserErrors { field message code }
          }
        }
        """;

    public const string FulfillmentCreate = """
        mutation Fulfill($fulfillment: FulfillmentInput!) {
          fulfillmentCreate(fulfillment: $fulfillment) {
            fulfillment { id status }
            userErrors { field message }
          }
        }
        """;

    public const string OrderClose = """
        mutation CloseOrder($input: OrderCloseInput!) {
          orderClose(input: $input) {
            order { id closed }
            userErrors { field message }
          }
        }
        """;

    public const string OrderUpdateAddress = """
        mutation UpdateOrderAddress($input: OrderInput!) {
          orderUpdate(input: $input) {
            order { id }
            userErrors { field message }
          }
        }
        """;

    /// <summary>Store → TikTok: Connector's orders (source name tiktok_shop) changed since a time, oldest first.</summary>
    public const string ChangedOrders = """
        query ChangedOrders($query: String!, $after: String) {
          orders(first: 100, after: $after, sortKey: UPDATED_AT, query: $query) {
            nodes { id sourceIdentifier updatedAt cancelledAt }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    /// <summary>
    /// Store → TikTok: what the merchant did to one order (cancelled; fulfilled which units with which tracking). The page
    /// sizes keep the query under Shopify's single-query cost limit of 1000 (store-apis.md §2.5).
    /// </summary>
    public const string MerchantOrderState = """
        query MerchantOrderState($id: ID!) {
          order(id: $id) {
            id updatedAt cancelledAt cancelReason
            fulfillments(first: 10) {
              id status createdAt
              trackingInfo(first: 1) { number company }
              fulfillmentLineItems(first: 20) { nodes { id quantity lineItem { id sku variant { id } } } }
            }
          }
        }
        """;

    /// <summary>Connector's subscription to orders/updated, if the shop already has it (store-apis.md §2.6 webhooks).</summary>
    public const string WebhookSubscriptions = """
        query WebhookSubscriptions($uri: String!) {
          webhookSubscriptions(first: 10, topics: [ORDERS_UPDATED], uri: $uri) { nodes { id topic uri } }
        }
        """;

    public const string WebhookSubscriptionCreate = """
        mutation WebhookSubscriptionCreate($uri: String!) {
          webhookSubscriptionCreate(topic: ORDERS_UPDATED, webhookSubscription: { uri: $uri, format: JSON }) {
            webhookSubscription { id topic uri }
            userErrors { field message }
          }
        }
        """;

    public const string InventoryWebhookSubscriptions = """
        query InventoryWebhookSubscriptions($uri: String!) {
          webhookSubscriptions(first: 10, topics: [INVENTORY_LEVELS_UPDATE], uri: $uri) { nodes { id topic uri } }
        }
        """;

    public const string InventoryWebhookSubscriptionCreate = """
        mutation InventoryWebhookSubscriptionCreate($uri: String!) {
          webhookSubscriptionCreate(topic: INVENTORY_LEVELS_UPDATE, webhookSubscription: { uri: $uri, format: JSON }) {
            webhookSubscription { id topic uri }
            userErrors { field message }
          }
        }
        """;

    /// <summary>The variant of an inventory item (an inventory_levels/update webhook names the item), with its stock over all locations.</summary>
    public const string StockOfInventoryItem = """
        query StockOfInventoryItem($id: ID!) {
          inventoryItem(id: $id) {
            id
            variant { id sku title price inventoryQuantity updatedAt product { id title } }
          }
        }
        """;

    public static IEnumerable<string> All =>
        [OrderUpdateAddress, ShopInfo, FindVariantsBySku, FindOrderBySource, OrderCreate, OrderState, OrderCancel, FulfillmentCreate, OrderClose,
         ChangedOrders, MerchantOrderState, WebhookSubscriptions, WebhookSubscriptionCreate, CatalogStock, InventoryWebhookSubscriptions,
         InventoryWebhookSubscriptionCreate, StockOfInventoryItem];
}
