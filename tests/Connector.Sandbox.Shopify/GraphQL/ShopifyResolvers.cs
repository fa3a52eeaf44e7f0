using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.GraphQL;

internal sealed record MoneyView(decimal Amount, string CurrencyCode);

internal sealed record MoneyBagView(decimal Amount, string ShopCurrency, string PresentmentCurrency);

internal sealed record FulfillmentOrderView(SimShopifyFulfillmentOrder FulfillmentOrder, SimShopifyOrder Order);

internal sealed record FulfillmentOrderLineItemView(SimShopifyFulfillmentOrderLineItem Item, SimShopifyLineItem Line);

internal sealed record FulfillmentLineItemView(SimShopifyFulfillmentLine Item, SimShopifyLineItem Line);

internal sealed record JobView(string Id, bool Done);

internal sealed record RefundView(SimShopifyRefund Refund, SimShopifyOrder Order);

internal sealed record RefundLineItemView(SimShopifyRefundLine Line, SimShopifyOrder Order);

internal sealed record RefundCreatePayloadView(RefundView? Refund, SimShopifyOrder? Order, IReadOnlyList<ShopUserError> UserErrors);

internal sealed record OrderPayloadView(SimShopifyOrder? Order, IReadOnlyList<ShopUserError> UserErrors);

internal sealed record OrderCancelPayloadView(JobView? Job, IReadOnlyList<ShopUserError> UserErrors);

internal sealed record FulfillmentPayloadView(SimShopifyFulfillment? Fulfillment, IReadOnlyList<ShopUserError> UserErrors);

/// <summary>
/// The part of the Admin API the simulator implements: which fields of which types, and how they are computed
/// from the shop's state. Everything else in the schema validates but answers SIMULATOR_NOT_IMPLEMENTED.
/// </summary>
internal static partial class ShopifyResolvers
{
    private static readonly FrozenSet<string> OrderSearchFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "source_identifier", "source_name", "name", "tag", "tag_not", "email", "id", "status", "financial_status",
        "fulfillment_status", "created_at", "updated_at", "processed_at", "sku", "test");

    private static readonly FrozenSet<string> VariantSearchFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "sku", "barcode", "product_id", "id", "title", "inventory_quantity", "created_at", "updated_at");

    public static ResolverRegistry Create()
    {
        var registry = new ResolverRegistry();
        AddRoots(registry);
        AddOrderTypes(registry);
        AddCatalogTypes(registry);
        AddPayloadTypes(registry);
        AddWebhookTypes(registry);
        return registry;
    }

    private static void AddRoots(ResolverRegistry registry)
    {
        registry.Type<SimShopifyShop>("QueryRoot")
            .Field("shop", s => s)
            .Field("order", (s, a, _) => s.FindOrder(a.Str("id")!))
            .Field("orders", (s, a, c) => Orders(s, a, c))
            .Field("orderByIdentifier", (s, a, _) => OrderByIdentifier(s, a.Obj("identifier")!))
            .Field("productVariant", (s, a, _) => Gid.TryParse(a.Str("id"), "ProductVariant", out var n) ? s.VariantSnapshot.GetValueOrDefault(n) : null)
            .Field("productVariants", (s, a, c) => ProductVariants(s, a, c))
            .Field("inventoryItem", (s, a, _) => InventoryItem(s, a.Str("id")))
            .Field("product", (s, a, _) => s.ProductSnapshot.GetValueOrDefault(a.Str("id")!))
            .Field("fulfillmentOrder", (s, a, _) => FindFulfillmentOrder(s, a.Str("id")!))
            .Field("job", (s, a, _) => s.JobExists(a.Str("id")!) ? new JobView(a.Str("id")!, true) : null);

        registry.Type<SimShopifyShop>("Mutation")
            .Field("orderCreate", (s, a, c) => OrderCreateAsync(s, a, c))
            .Field("orderCancel", (s, a, _) =>
            {
                var outcome = s.CancelOrder(a.Str("orderId")!, a.Str("reason")!, a.Bool("restock")!.Value, a.Str("staffNote"), a.Obj("refundMethod"));
                return new OrderCancelPayloadView(outcome.JobId is null ? null : new JobView(outcome.JobId, false), outcome.Errors);
            })
            .Field("orderClose", (s, a, _) =>
            {
                var outcome = s.CloseOrder(a.Obj("input").Str("id")!);
                return new OrderPayloadView(outcome.Order, outcome.Errors);
            })
            .Field("orderUpdate", (s, a, _) =>
            {
                var outcome = s.UpdateOrder(a.Obj("input")!);
                return new OrderPayloadView(outcome.Order, outcome.Errors);
            })
            .Field("refundCreate", (s, a, c) =>
            {
                var outcome = s.CreateRefund(a.Obj("input")!, c.IdempotencyKey);
                return new RefundCreatePayloadView(
                    outcome.Refund is null ? null : new RefundView(outcome.Refund, outcome.Order!), outcome.Order, outcome.Errors);
            })
            .Field("fulfillmentCreate", (s, a, _) =>
            {
                var outcome = s.CreateFulfillment(a.Obj("fulfillment")!);
                return new FulfillmentPayloadView(outcome.Fulfillment, outcome.Errors);
            });

        registry.Type<SimShopifyShop>("Shop")
            .Field("id", s => s.Id)
            .Field("name", s => s.Name)
            .Field("currencyCode", s => s.Currency)
            .Field("myshopifyDomain", s => s.MyshopifyDomain);
    }

    /// <summary>inventoryItem(id:): null for an id of no item; a malformed or other-type gid is Shopify's "Invalid global id".</summary>
    private static SimShopifyVariant? InventoryItem(SimShopifyShop shop, string? id) =>
        Gid.TryParse(id, "InventoryItem", out _)
            ? shop.FindByInventoryItem(id)
            : throw new FieldErrorException($"Invalid global id '{id}'", new JsonObject { ["code"] = "argumentLiteralsIncompatible" });

    private static async Task<object?> OrderCreateAsync(SimShopifyShop shop, JsonObject arguments, ExecutionContext context)
    {
        var delay = shop.OrderCreateDelay;
        if (delay > TimeSpan.Zero)
        {
            // Not the request's token: a real server finishes an order whose client has given up.
            await Task.Delay(delay, context.Time, CancellationToken.None);
        }

        var outcome = shop.CreateOrder(arguments.Obj("order")!, arguments.Obj("options"));
        context.AbortConnection |= outcome.DropResponse;
        return new OrderPayloadView(outcome.Order, outcome.Errors);
    }

    private static void AddOrderTypes(ResolverRegistry registry)
    {
        registry.Type<SimShopifyOrder>("Order")
            .Field("id", o => o.Id)
            .Field("legacyResourceId", o => Gid.Number(o.Id))
            .Field("name", o => o.Name)
            .Field("number", o => o.Number)
            .Field("email", o => o.Email)
            .Field("phone", o => o.Phone)
            .Field("note", o => o.Note)
            .Field("poNumber", o => o.PoNumber)
            .Field("createdAt", o => o.CreatedAt)
            .Field("updatedAt", o => o.UpdatedAt)
            .Field("processedAt", o => o.ProcessedAt)
            .Field("cancelledAt", o => o.CancelledAt)
            .Field("cancelReason", o => o.CancelReason)
            .Field("cancellation", o => o.CancelledAt is null ? null : o)
            .Field("closed", o => o.Closed)
            .Field("closedAt", o => o.ClosedAt)
            .Field("confirmed", _ => true)
            .Field("test", o => o.Test)
            .Field("sourceName", o => o.SourceName)
            .Field("sourceIdentifier", o => o.SourceIdentifier)
            .Field("registeredSourceUrl", o => o.SourceUrl)
            .Field("currencyCode", o => o.CurrencyCode)
            .Field("presentmentCurrencyCode", o => o.PresentmentCurrencyCode ?? o.CurrencyCode)
            .Field("tags", o => o.Tags)
            .Field("taxesIncluded", o => o.TaxesIncluded)
            .Field("displayFinancialStatus", o => o.FinancialStatus)
            .Field("displayFulfillmentStatus", o => o.FulfillmentStatus)
            .Field("fullyPaid", o => o.FinancialStatus is "PAID")
            .Field("unpaid", o => o.FinancialStatus is "PENDING" or "AUTHORIZED" or "EXPIRED")
            .Field("fulfillable", o => o.CancelledAt is null && o.FulfillmentOrders.Any(f => f.LineItems.Any(l => l.RemainingQuantity > 0)))
            .Field("requiresShipping", o => o.LineItems.Any(l => l.RequiresShipping))
            .Field("subtotalLineItemsQuantity", o => o.LineItems.Sum(l => l.Quantity))
            .Field("currentSubtotalLineItemsQuantity", o => o.CancelledAt is null ? o.LineItems.Sum(l => l.Quantity) : 0)
            .Field("customAttributes", o => o.CustomAttributes)
            .Field("metafield", (o, a, _) => o.Metafields.FirstOrDefault(m => m.Key == a.Str("key") && (a.Str("namespace") is not { } ns || m.Namespace == ns)))
            .Field("metafields", (o, a, _) => ResolverRegistry.Paginate(
                o.Metafields.Where(m => (a.Str("namespace") is not { } ns || m.Namespace == ns)
                    && (a.Strings("keys") is not { Count: > 0 } keys || keys.Contains($"{m.Namespace}.{m.Key}"))).ToArray(),
                m => Gid.Number(m.Id),
                a))
            .Field("lineItems", (o, a, _) => ResolverRegistry.Paginate(o.LineItems, l => Gid.Number(l.Id), a))
            .Field("shippingLines", (o, a, _) => ResolverRegistry.PaginateByPosition(o.ShippingLines, a))
            .Field("shippingLine", o => o.ShippingLines.Count > 0 ? o.ShippingLines[0] : null)
            .Field("shippingAddress", o => o.ShippingAddress)
            .Field("billingAddress", o => o.BillingAddress)
            .Field("taxLines", o => o.TaxLines)
            .Field("fulfillments", (o, a, _) => a.Int("first") is { } first ? o.Fulfillments.Take(first).ToArray() : o.Fulfillments)
            .Field("fulfillmentOrders", (o, a, _) => ResolverRegistry.Paginate(
                o.FulfillmentOrders.Select(f => new FulfillmentOrderView(f, o)).ToArray(),
                f => Gid.Number(f.FulfillmentOrder.Id),
                a))
            .Field("subtotalPriceSet", o => Bag(o, o.SubtotalPrice))
            .Field("currentSubtotalPriceSet", o => Bag(o, o.CancelledAt is null ? o.SubtotalPrice : 0m))
            .Field("totalShippingPriceSet", o => Bag(o, o.TotalShippingPrice))
            .Field("currentShippingPriceSet", o => Bag(o, o.CancelledAt is null ? o.TotalShippingPrice : 0m))
            .Field("totalTaxSet", o => Bag(o, o.TotalTax))
            .Field("currentTotalTaxSet", o => Bag(o, o.CancelledAt is null ? o.TotalTax : 0m))
            .Field("totalPriceSet", o => Bag(o, o.TotalPrice))
            .Field("currentTotalPriceSet", o => Bag(o, o.CancelledAt is null ? o.TotalPrice : 0m))
            .Field("totalDiscountsSet", o => Bag(o, 0m))
            .Field("refunds", (o, a, _) => (a.Int("first") is { } first ? o.Refunds.Take(first) : o.Refunds).Select(r => new RefundView(r, o)).ToArray())
            .Field("totalRefundedSet", o => Bag(o, o.Refunds.Sum(r => r.Amount)))
            .Field("totalOutstandingSet", o => Bag(o, o.FinancialStatus is "PAID" or "REFUNDED" or "VOIDED" || o.CancelledAt is not null ? 0m : o.TotalPrice));

        registry.Type<SimShopifyOrder>("OrderCancellation")
            .Field("staffNote", o => o.CancelStaffNote);

        registry.Type<SimShopifyLineItem>("LineItem")
            .Field("id", l => l.Id)
            .Field("title", l => l.Title)
            .Field("name", l => l.VariantTitle is null ? l.Title : $"{l.Title} - {l.VariantTitle}")
            .Field("sku", l => l.Sku)
            .Field("quantity", l => l.Quantity)
            .Field("currentQuantity", (l, c) => OrderOf(c, l)?.CancelledAt is null ? l.Quantity : 0)
            .Field("unfulfilledQuantity", (l, c) => OrderOf(c, l) is { } o && o.CancelledAt is null
                ? o.FulfillmentOrders.SelectMany(f => f.LineItems).Where(i => i.LineItemId == l.Id).Sum(i => i.RemainingQuantity)
                : 0)
            .Field("refundableQuantity", (l, c) => OrderOf(c, l)?.RefundableQuantity(l.Id) ?? 0)
            .Field("variantTitle", l => l.VariantTitle)
            .Field("variant", (l, c) => l.VariantId is not null && Gid.TryParse(l.VariantId, "ProductVariant", out var n) ? c.Shop.VariantSnapshot.GetValueOrDefault(n) : null)
            .Field("product", (l, c) => l.ProductId is null ? null : c.Shop.ProductSnapshot.GetValueOrDefault(l.ProductId))
            .Field("vendor", l => l.Vendor)
            .Field("requiresShipping", l => l.RequiresShipping)
            .Field("taxable", l => l.Taxable)
            .Field("isGiftCard", _ => false)
            .Field("customAttributes", l => l.Properties)
            .Field("taxLines", (l, a, _) => a.Int("first") is { } first ? l.TaxLines.Take(first).ToArray() : l.TaxLines)
            .Field("originalUnitPriceSet", l => new MoneyBagView(l.Price, l.CurrencyCode, l.CurrencyCode))
            .Field("discountedUnitPriceSet", l => new MoneyBagView(l.Price, l.CurrencyCode, l.CurrencyCode))
            .Field("discountedUnitPriceAfterAllDiscountsSet", l => new MoneyBagView(l.Price, l.CurrencyCode, l.CurrencyCode))
            .Field("originalTotalSet", l => new MoneyBagView(l.Price * l.Quantity, l.CurrencyCode, l.CurrencyCode))
            .Field("discountedTotalSet", l => new MoneyBagView(l.Price * l.Quantity, l.CurrencyCode, l.CurrencyCode))
            .Field("totalDiscountSet", l => new MoneyBagView(0m, l.CurrencyCode, l.CurrencyCode));

        registry.Type<SimShopifyShippingLine>("ShippingLine")
            .Field("title", s => s.Title)
            .Field("code", s => s.Code)
            .Field("source", s => s.Source)
            .Field("custom", _ => true)
            .Field("isRemoved", _ => false)
            .Field("originalPriceSet", s => new MoneyBagView(s.Price, s.CurrencyCode, s.CurrencyCode))
            .Field("discountedPriceSet", s => new MoneyBagView(s.Price, s.CurrencyCode, s.CurrencyCode))
            .Field("currentDiscountedPriceSet", s => new MoneyBagView(s.Price, s.CurrencyCode, s.CurrencyCode))
            .Field("taxLines", _ => Array.Empty<SimShopifyTaxLine>());

        registry.Type<SimShopifyTaxLine>("TaxLine")
            .Field("title", t => t.Title)
            .Field("rate", t => (double)t.Rate)
            .Field("ratePercentage", t => (double)(t.Rate * 100))
            .Field("priceSet", (t, c) => new MoneyBagView(t.Price, c.Shop.Currency, c.Shop.Currency))
            .Field("channelLiable", _ => false);

        registry.Type<SimShopifyAddress>("MailingAddress")
            .Field("firstName", a => a.FirstName)
            .Field("lastName", a => a.LastName)
            .Field("name", a => string.Join(' ', new[] { a.FirstName, a.LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } n ? n : null)
            .Field("company", a => a.Company)
            .Field("address1", a => a.Address1)
            .Field("address2", a => a.Address2)
            .Field("city", a => a.City)
            .Field("provinceCode", a => a.ProvinceCode)
            .Field("countryCodeV2", a => a.CountryCode)
            .Field("zip", a => a.Zip)
            .Field("phone", a => a.Phone);

        registry.Type<SimShopifyKeyValue>("Attribute")
            .Field("key", a => a.Key)
            .Field("value", a => a.Value);

        registry.Type<SimShopifyMetafield>("Metafield")
            .Field("id", m => m.Id)
            .Field("namespace", m => m.Namespace)
            .Field("key", m => m.Key)
            .Field("type", m => m.Type)
            .Field("value", m => m.Value)
            .Field("ownerType", _ => "ORDER");

        registry.Type<MoneyBagView>("MoneyBag")
            .Field("shopMoney", b => new MoneyView(b.Amount, b.ShopCurrency))
            .Field("presentmentMoney", b => new MoneyView(b.Amount, b.PresentmentCurrency));

        registry.Type<MoneyView>("MoneyV2")
            .Field("amount", m => m.Amount)
            .Field("currencyCode", m => m.CurrencyCode);

        registry.Type<SimShopifyFulfillment>("Fulfillment")
            .Field("id", f => f.Id)
            .Field("legacyResourceId", f => Gid.Number(f.Id))
            .Field("name", f => f.Name)
            .Field("status", f => f.Status)
            .Field("displayStatus", f => f.Status == "SUCCESS" ? "FULFILLED" : "CANCELED")
            .Field("createdAt", f => f.CreatedAt)
            .Field("updatedAt", f => f.CreatedAt)
            .Field("requiresShipping", _ => true)
            .Field("totalQuantity", f => f.LineItems.Sum(l => l.Quantity))
            .Field("trackingInfo", (f, a, _) => a.Int("first") is { } first ? f.TrackingInfo.Take(first).ToArray() : f.TrackingInfo)
            .Field("order", (f, c) => OrderOf(c, f))
            .Field("fulfillmentLineItems", (f, a, c) =>
            {
                var order = OrderOf(c, f);
                return ResolverRegistry.Paginate(
                    f.LineItems.Select(l => new FulfillmentLineItemView(l, order.LineItems.First(li => li.Id == l.LineItemId))).ToArray(),
                    l => Gid.Number(l.Item.Id),
                    a);
            });

        registry.Type<FulfillmentLineItemView>("FulfillmentLineItem")
            .Field("id", l => l.Item.Id)
            .Field("quantity", l => l.Item.Quantity)
            .Field("lineItem", l => l.Line)
            .Field("originalTotalSet", l => new MoneyBagView(l.Line.Price * l.Item.Quantity, l.Line.CurrencyCode, l.Line.CurrencyCode))
            .Field("discountedTotalSet", l => new MoneyBagView(l.Line.Price * l.Item.Quantity, l.Line.CurrencyCode, l.Line.CurrencyCode));

        registry.Type<SimShopifyTrackingInfo>("FulfillmentTrackingInfo")
            .Field("company", t => t.Company)
            .Field("number", t => t.Number)
            .Field("url", t => t.Url);

        registry.Type<FulfillmentOrderView>("FulfillmentOrder")
            .Field("id", f => f.FulfillmentOrder.Id)
            .Field("orderId", f => f.Order.Id)
            .Field("orderName", f => f.Order.Name)
            .Field("orderProcessedAt", f => f.Order.ProcessedAt)
            .Field("order", f => f.Order)
            .Field("status", f => f.FulfillmentOrder.Status)
            .Field("requestStatus", _ => "UNSUBMITTED")
            .Field("createdAt", f => f.FulfillmentOrder.CreatedAt)
            .Field("updatedAt", f => f.FulfillmentOrder.UpdatedAt)
            .Field("lineItems", (f, a, _) => ResolverRegistry.Paginate(
                f.FulfillmentOrder.LineItems.Select(l => new FulfillmentOrderLineItemView(l, f.Order.LineItems.First(li => li.Id == l.LineItemId))).ToArray(),
                l => Gid.Number(l.Item.Id),
                a));

        registry.Type<FulfillmentOrderLineItemView>("FulfillmentOrderLineItem")
            .Field("id", l => l.Item.Id)
            .Field("remainingQuantity", l => l.Item.RemainingQuantity)
            .Field("totalQuantity", l => l.Item.TotalQuantity)
            .Field("sku", l => l.Line.Sku)
            .Field("productTitle", l => l.Line.Title)
            .Field("variantTitle", l => l.Line.VariantTitle)
            .Field("requiresShipping", l => l.Line.RequiresShipping)
            .Field("lineItem", l => l.Line)
            .Field("variant", (l, c) => l.Line.VariantId is not null && Gid.TryParse(l.Line.VariantId, "ProductVariant", out var n) ? c.Shop.VariantSnapshot.GetValueOrDefault(n) : null);
    }

    private static void AddCatalogTypes(ResolverRegistry registry)
    {
        registry.Type<SimShopifyVariant>("ProductVariant")
            .Field("id", v => v.Id)
            .Field("legacyResourceId", v => Gid.Number(v.Id))
            .Field("sku", v => v.Sku)
            .Field("title", v => v.Title)
            .Field("displayName", (v, c) => $"{c.Shop.ProductSnapshot.GetValueOrDefault(v.ProductId)?.Title} - {v.Title}")
            .Field("price", v => v.Price)
            .Field("inventoryQuantity", v => v.Inventory)
            .Field("inventoryPolicy", v => v.InventoryPolicy)
            .Field("availableForSale", v => v.Inventory > 0 || v.InventoryPolicy == "CONTINUE")
            .Field("barcode", _ => null)
            .Field("taxable", _ => true)
            .Field("createdAt", v => v.CreatedAt)
            .Field("updatedAt", v => v.UpdatedAt)
            .Field("product", (v, c) => c.Shop.ProductSnapshot.GetValueOrDefault(v.ProductId))
            .Field("inventoryItem", v => v);

        registry.Type<SimShopifyVariant>("InventoryItem")
            .Field("id", v => v.InventoryItemId)
            .Field("sku", v => v.Sku)
            .Field("tracked", _ => true)
            .Field("requiresShipping", _ => true)
            .Field("variant", v => v);

        registry.Type<SimShopifyProduct>("Product")
            .Field("id", p => p.Id)
            .Field("legacyResourceId", p => Gid.Number(p.Id))
            .Field("title", p => p.Title)
            .Field("handle", p => p.Handle)
            .Field("status", _ => "ACTIVE")
            .Field("createdAt", p => p.CreatedAt)
            .Field("updatedAt", p => p.CreatedAt)
            .Field("hasOnlyDefaultVariant", p => p.VariantIds.Count == 1)
            .Field("totalInventory", (p, c) => p.VariantIds.Sum(id => c.Shop.VariantSnapshot.GetValueOrDefault(Gid.Number(id))?.Inventory ?? 0))
            .Field("variants", (p, a, c) => ResolverRegistry.Paginate(
                p.VariantIds.Select(id => c.Shop.VariantSnapshot.GetValueOrDefault(Gid.Number(id))).OfType<SimShopifyVariant>().ToArray(),
                v => Gid.Number(v.Id),
                a));
    }

    private static void AddPayloadTypes(ResolverRegistry registry)
    {
        registry.Type<OrderPayloadView>("OrderCreatePayload")
            .Field("order", p => p.Order)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<OrderPayloadView>("OrderClosePayload")
            .Field("order", p => p.Order)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<OrderPayloadView>("OrderUpdatePayload")
            .Field("order", p => p.Order)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<OrderCancelPayloadView>("OrderCancelPayload")
            .Field("job", p => p.Job)
            .Field("orderCancelUserErrors", p => p.UserErrors)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<FulfillmentPayloadView>("FulfillmentCreatePayload")
            .Field("fulfillment", p => p.Fulfillment)
            .Field("userErrors", p => p.UserErrors);
        registry.Types<ShopUserError>("OrderCreateUserError", "OrderCancelUserError")
            .Field("field", e => e.Field)
            .Field("message", e => e.Message)
            .Field("code", e => e.Code);
        registry.Type<ShopUserError>("UserError")
            .Field("field", e => e.Field)
            .Field("message", e => e.Message);
        registry.Type<RefundCreatePayloadView>("RefundCreatePayload")
            .Field("refund", p => p.Refund)
            .Field("order", p => p.Order)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<RefundView>("Refund")
            .Field("id", r => r.Refund.Id)
            .Field("legacyResourceId", r => Gid.Number(r.Refund.Id))
            .Field("note", r => r.Refund.Note)
            .Field("createdAt", r => r.Refund.CreatedAt)
            .Field("order", r => r.Order)
            .Field("totalRefundedSet", r => new MoneyBagView(r.Refund.Amount, r.Refund.CurrencyCode, r.Refund.CurrencyCode))
            .Field("refundLineItems", (r, a, _) => ResolverRegistry.Paginate(
                r.Refund.Lines.Select(l => new RefundLineItemView(l, r.Order)).ToArray(), l => Gid.Number(l.Line.Id), a));
        registry.Type<RefundLineItemView>("RefundLineItem")
            .Field("id", l => l.Line.Id)
            .Field("quantity", l => l.Line.Quantity)
            .Field("restockType", l => l.Line.RestockType)
            .Field("restocked", l => l.Line.Restocked)
            .Field("lineItem", l => l.Order.LineItems.First(i => i.Id == l.Line.LineItemId));
        registry.Type<JobView>("Job")
            .Field("id", j => j.Id)
            .Field("done", j => j.Done);
    }

    private static MoneyBagView Bag(SimShopifyOrder order, decimal amount) =>
        new(amount, order.CurrencyCode, order.PresentmentCurrencyCode ?? order.CurrencyCode);

    private static SimShopifyOrder? OrderOf(ExecutionContext context, SimShopifyLineItem line) =>
        context.Shop.OrderSnapshot.Values.FirstOrDefault(o => o.LineItems.Any(l => l.Id == line.Id));

    /// <summary>The order a fulfillment belongs to (a fulfillment never moves between orders).</summary>
    private static SimShopifyOrder OrderOf(ExecutionContext context, SimShopifyFulfillment fulfillment) =>
        context.Shop.OrderSnapshot.Values.First(o => o.Fulfillments.Any(f => f.Id == fulfillment.Id));

    private static FulfillmentOrderView? FindFulfillmentOrder(SimShopifyShop shop, string id)
    {
        foreach (var order in shop.OrderSnapshot.Values)
        {
            var match = order.FulfillmentOrders.FirstOrDefault(f => f.Id == id);
            if (match is not null)
            {
                return new FulfillmentOrderView(match, order);
            }
        }

        return null;
    }

    /// <summary>
    /// orderByIdentifier (store-apis.md §2.4): by <c>id</c>, or by <c>customId</c>, the value of an <c>id</c>-type
    /// metafield (only id-type metafields are custom ids).
    /// </summary>
    private static SimShopifyOrder? OrderByIdentifier(SimShopifyShop shop, JsonObject identifier)
    {
        var id = identifier.Str("id");
        var customId = identifier.Obj("customId");
        if ((id is null) == (customId is null))
        {
            throw new FieldErrorException("Exactly one of id or customId must be provided.", new JsonObject { ["code"] = "INVALID" });
        }

        if (id is not null)
        {
            return shop.FindOrder(id);
        }

        var ns = customId.Str("namespace");
        return shop.OrderSnapshot.Values.FirstOrDefault(o => o.Metafields.Any(m =>
            m.Type == "id" && m.Key == customId.Str("key") && m.Value == customId.Str("value") && (ns is null || m.Namespace == ns)));
    }

    /// <summary>
    /// orders(query:) supports: source_identifier, source_name, name, tag, tag_not, email, id, status, financial_status,
    /// fulfillment_status, created_at, updated_at, processed_at, sku, test, and bare words (store-apis.md §2.4).
    /// </summary>
    private static Connection Orders(SimShopifyShop shop, JsonObject arguments, ExecutionContext context)
    {
        var query = arguments.Str("query");
        var search = SearchQuery.Parse(query);

        // A search runs on the index, which holds each order as it was SearchIndexLag ago (matching and sorting use
        // that version); the nodes returned are the current orders. Without a query the list is read live.
        // Without lag the index is the live list: no version walk under the shop's lock (it dominates large runs).
        var live = search.IsEmpty || shop.SearchIndexLag <= TimeSpan.Zero;
        var orders = live
            ? shop.OrderSnapshot.Values.Select(o => (Indexed: o, Current: o)).Where(o => search.IsEmpty || search.Matches(o.Indexed, MatchOrder)).ToArray()
            : shop.SearchIndex(context.Time.GetUtcNow() - shop.SearchIndexLag).Where(o => search.Matches(o.Indexed, MatchOrder)).ToArray();

        Func<SimShopifyOrder, IComparable> sortKey = arguments.Str("sortKey") switch
        {
            null or "PROCESSED_AT" => o => o.ProcessedAt,
            "CREATED_AT" => o => o.CreatedAt,
            "UPDATED_AT" => o => o.UpdatedAt,
            "ID" or "RELEVANCE" => o => Gid.Number(o.Id),
            "ORDER_NUMBER" => o => o.Number,
            "TOTAL_PRICE" or "CURRENT_TOTAL_PRICE" => o => o.TotalPrice,
            var other => throw new FieldErrorException($"sortKey {other} is not implemented by the Shopify simulator.", new JsonObject { ["code"] = "SIMULATOR_NOT_IMPLEMENTED" }),
        };
        var sorted = orders.OrderBy(o => sortKey(o.Indexed)).ThenBy(o => Gid.Number(o.Current.Id)).Select(o => o.Current).ToArray();
        ReportUnknownSearchFields(context, query, search.UnknownFields(OrderSearchFields));
        return ResolverRegistry.Paginate(sorted, o => Gid.Number(o.Id), arguments);
    }

    private static bool? MatchOrder(SimShopifyOrder order, SearchTerm term) => term.Field switch
    {
        null => MatchesText(order.Name.TrimStart('#'), term.Value.TrimStart('#'))
            || MatchesText(order.Email, term.Value)
            || MatchesText(order.SourceIdentifier, term.Value)
            || order.Tags.Any(t => MatchesText(t, term.Value))
            || order.LineItems.Any(l => SearchQuery.SkuMatches(l.Sku, term.Value))
            || MatchesText(order.ShippingAddress?.FirstName, term.Value)
            || MatchesText(order.ShippingAddress?.LastName, term.Value),
        "source_identifier" => string.Equals(order.SourceIdentifier, term.Value, StringComparison.OrdinalIgnoreCase),
        "source_name" => string.Equals(order.SourceName, term.Value, StringComparison.OrdinalIgnoreCase),
        "name" => string.Equals(order.Name.TrimStart('#'), term.Value.TrimStart('#'), StringComparison.OrdinalIgnoreCase),
        "tag" => order.Tags.Any(t => string.Equals(t, term.Value, StringComparison.OrdinalIgnoreCase)),
        "tag_not" => !order.Tags.Any(t => string.Equals(t, term.Value, StringComparison.OrdinalIgnoreCase)),
        "email" => string.Equals(order.Email, term.Value, StringComparison.OrdinalIgnoreCase),
        "id" => SearchQuery.Compare(Gid.Number(order.Id), term),
        "status" => term.Value.ToLowerInvariant() switch
        {
            "open" => !order.Closed && order.CancelledAt is null,
            "closed" => order.Closed,
            "cancelled" => order.CancelledAt is not null,
            "any" => true,
            _ => false,
        },
        "financial_status" => string.Equals(order.FinancialStatus, term.Value, StringComparison.OrdinalIgnoreCase)
            || (term.Value.Equals("any", StringComparison.OrdinalIgnoreCase)),
        "fulfillment_status" => term.Value.ToLowerInvariant() switch
        {
            "unshipped" or "unfulfilled" => order.FulfillmentStatus == "UNFULFILLED",
            "shipped" or "fulfilled" => order.FulfillmentStatus == "FULFILLED",
            "partial" => order.FulfillmentStatus == "PARTIALLY_FULFILLED",
            "any" => true,
            _ => false,
        },
        "created_at" => SearchQuery.Compare(order.CreatedAt, term),
        "updated_at" => SearchQuery.Compare(order.UpdatedAt, term),
        "processed_at" => SearchQuery.Compare(order.ProcessedAt, term),
        "sku" => order.LineItems.Any(l => SearchQuery.SkuMatches(l.Sku, term.Value)),
        "test" => bool.TryParse(term.Value, out var test) && order.Test == test,
        _ => null,
    };

    /// <summary>
    /// productVariants(query:) supports sku (tokenised, see <see cref="SearchQuery.SkuMatches"/>: a search can return
    /// variants whose SKU differs in case or punctuation, so the client must compare SKUs exactly), barcode,
    /// product_id, id, title, inventory_quantity, created_at, updated_at, and bare words.
    /// </summary>
    private static Connection ProductVariants(SimShopifyShop shop, JsonObject arguments, ExecutionContext context)
    {
        var query = arguments.Str("query");
        var search = SearchQuery.Parse(query);
        var products = shop.ProductSnapshot;
        var variants = shop.VariantSnapshot.Values.AsEnumerable();
        if (!search.IsEmpty)
        {
            variants = variants.Where(v => search.Matches(v, (variant, term) => MatchVariant(variant, term, products.GetValueOrDefault(variant.ProductId)))).ToArray();
        }

        Func<SimShopifyVariant, IComparable> sortKey = arguments.Str("sortKey") switch
        {
            null or "ID" or "RELEVANCE" or "POSITION" => v => Gid.Number(v.Id),
            "SKU" => v => v.Sku ?? string.Empty,
            "TITLE" or "NAME" or "FULL_TITLE" => v => v.Title,
            "INVENTORY_QUANTITY" or "INVENTORY_LEVELS_AVAILABLE" => v => v.Inventory,
            var other => throw new FieldErrorException($"sortKey {other} is not implemented by the Shopify simulator.", new JsonObject { ["code"] = "SIMULATOR_NOT_IMPLEMENTED" }),
        };
        var sorted = variants.OrderBy(sortKey).ThenBy(v => Gid.Number(v.Id)).ToArray();
        ReportUnknownSearchFields(context, query, search.UnknownFields(VariantSearchFields));
        return ResolverRegistry.Paginate(sorted, v => Gid.Number(v.Id), arguments);
    }

    private static bool? MatchVariant(SimShopifyVariant variant, SearchTerm term, SimShopifyProduct? product) => term.Field switch
    {
        null => SearchQuery.SkuMatches(variant.Sku, term.Value) || MatchesText(variant.Title, term.Value) || MatchesText(product?.Title, term.Value),
        "sku" => SearchQuery.SkuMatches(variant.Sku, term.Value),
        "barcode" => false,
        "product_id" => SearchQuery.Compare(Gid.Number(variant.ProductId), term),
        "id" => SearchQuery.Compare(Gid.Number(variant.Id), term),
        "title" => MatchesText(variant.Title, term.Value),
        "inventory_quantity" => long.TryParse(term.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && SearchQuery.Compare(variant.Inventory, term),
        "created_at" => SearchQuery.Compare(variant.CreatedAt, term),
        "updated_at" => SearchQuery.Compare(variant.UpdatedAt, term),
        _ => null,
    };

    /// <summary>Token containment, case-insensitive: every token of the term appears among the text's tokens.</summary>
    private static bool MatchesText(string? text, string term)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var tokens = SearchQuery.Tokens(text);
        var wanted = SearchQuery.Tokens(term);
        return wanted.Count > 0 && wanted.All(w => tokens.Contains(w, StringComparer.Ordinal));
    }

    private static void ReportUnknownSearchFields(ExecutionContext context, string? query, IReadOnlyCollection<string> unknown)
    {
        if (unknown.Count == 0)
        {
            return;
        }

        context.SearchWarnings.Add(new JsonObject
        {
            ["path"] = new JsonArray(context.CurrentPath.Select(p => p is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create((string)p)).ToArray()),
            ["query"] = query,
            ["warnings"] = new JsonArray(unknown.Select(f => (JsonNode)new JsonObject
            {
                ["field"] = f,
                ["message"] = "Invalid search field for this query.",
            }).ToArray()),
        });
    }
}
