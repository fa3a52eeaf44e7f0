using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify;

/// <summary>
/// What a merchant does by hand in the Shopify admin (fulfil with tracking, cancel), for tests and the local demo. Each
/// goes through the same code as the Admin API mutation (fulfillmentCreate, orderCancel), so Shopify's rules, the
/// order's <c>updatedAt</c> and the search index behave exactly as if an app had called it.
/// </summary>
public sealed partial class SimShopifyShop
{
    /// <summary>OrderCancelReason values of the 2026-01 schema.</summary>
    public static IReadOnlySet<string> CancelReasons { get; } = FrozenSet.Create(StringComparer.Ordinal, "CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER");

    /// <summary>
    /// The merchant fulfils units of an order (fulfillmentCreate): <paramref name="unitsBySku"/> gives units per line
    /// item SKU (exact, ordinal; units of a SKU on several lines fill them in order), null fulfils everything remaining.
    /// Tracking number and/or company are kept as the fulfillment's tracking info. Returns the fulfillment gid.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Shopify refuses (the user errors in the message): unknown order, a SKU not on the order, more units than remain,
    /// nothing left to fulfil ("... has an unfulfillable status= closed."), a cancelled order ("status= cancelled").
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="unitsBySku"/> is empty.</exception>
    public string FulfillAsMerchant(string orderGid, string? trackingNumber, string? company, IReadOnlyDictionary<string, int>? unitsBySku = null)
    {
        var outcome = FulfillAsMerchantCore(orderGid, trackingNumber, company, unitsBySku);
        ThrowOnUserErrors("fulfillmentCreate", outcome.Errors);
        return outcome.Fulfillment!.Id;
    }

    /// <summary>
    /// The merchant cancels an order (orderCancel with <paramref name="reason"/>, one of <see cref="CancelReasons"/>):
    /// sets cancelledAt/cancelReason, bumps updatedAt, restocks what the order took when <paramref name="restock"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Shopify refuses (the user errors in the message): unknown order, already cancelled, an order with fulfillments.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is not an OrderCancelReason.</exception>
    public void CancelAsMerchant(string orderGid, string reason = "CUSTOMER", bool restock = true, string? staffNote = null)
    {
        var outcome = CancelAsMerchantCore(orderGid, reason, restock, staffNote);
        ThrowOnUserErrors("orderCancel", outcome.Errors);
    }

    internal FulfillmentCreateOutcome FulfillAsMerchantCore(string orderGid, string? trackingNumber, string? company, IReadOnlyDictionary<string, int>? unitsBySku)
    {
        ArgumentNullException.ThrowIfNull(orderGid);
        if (unitsBySku is { Count: 0 })
        {
            throw new ArgumentException("Give at least one SKU, or null to fulfil everything remaining.", nameof(unitsBySku));
        }

        lock (_gate)
        {
            if (FindOrder(orderGid) is not { } order)
            {
                return new FulfillmentCreateOutcome(null, [new ShopUserError(["orderId"], "Order does not exist.", "NOT_FOUND")]); // [I]
            }

            var groups = new JsonArray();
            if (unitsBySku is null)
            {
                // A blank line list fulfils everything remaining; closed/cancelled fulfillment orders are only sent
                // when nothing is open, so that Shopify's own refusal comes back.
                var open = order.FulfillmentOrders.Where(f => f.Status is not ("CLOSED" or "CANCELLED")).ToArray();
                foreach (var fulfillmentOrder in open.Length > 0 ? open : order.FulfillmentOrders)
                {
                    groups.Add(new JsonObject { ["fulfillmentOrderId"] = fulfillmentOrder.Id });
                }
            }
            else
            {
                var errors = new List<ShopUserError>();
                var quantities = new Dictionary<(string FulfillmentOrderId, string ItemId), int>();
                foreach (var (sku, units) in unitsBySku)
                {
                    var items = order.FulfillmentOrders
                        .SelectMany(f => f.LineItems.Select(item => (FulfillmentOrderId: f.Id, Item: item)))
                        .Where(x => string.Equals(order.LineItems.First(l => l.Id == x.Item.LineItemId).Sku, sku, StringComparison.Ordinal))
                        .ToArray();
                    if (items.Length == 0)
                    {
                        errors.Add(new ShopUserError(["lineItems", sku], $"Order {order.Name} has no line item with SKU '{sku}'.", "INVALID")); // [I]
                        continue;
                    }

                    // Fill the lines of this SKU in order; what does not fit goes on the last one, so that Shopify
                    // answers "Invalid fulfillment order line item quantity requested.".
                    var left = units;
                    foreach (var (fulfillmentOrderId, item) in items)
                    {
                        var take = Math.Min(left, item.RemainingQuantity);
                        if (take > 0)
                        {
                            quantities[(fulfillmentOrderId, item.Id)] = take;
                            left -= take;
                        }
                    }

                    if (left != 0 || units < 1)
                    {
                        var last = (items[^1].FulfillmentOrderId, items[^1].Item.Id);
                        quantities[last] = quantities.GetValueOrDefault(last) + left;
                    }
                }

                if (errors.Count > 0)
                {
                    return new FulfillmentCreateOutcome(null, errors);
                }

                foreach (var group in quantities.GroupBy(q => q.Key.FulfillmentOrderId))
                {
                    groups.Add(new JsonObject
                    {
                        ["fulfillmentOrderId"] = group.Key,
                        ["fulfillmentOrderLineItems"] = new JsonArray(group.Select(q => (JsonNode)new JsonObject { ["id"] = q.Key.ItemId, ["quantity"] = q.Value }).ToArray()),
                    });
                }
            }

            var input = new JsonObject { ["lineItemsByFulfillmentOrder"] = groups, ["notifyCustomer"] = false };
            if (trackingNumber is not null || company is not null)
            {
                input["trackingInfo"] = new JsonObject { ["number"] = trackingNumber, ["company"] = company };
            }

            return CreateFulfillment(input);
        }
    }

    internal OrderCancelOutcome CancelAsMerchantCore(string orderGid, string reason, bool restock, string? staffNote)
    {
        ArgumentNullException.ThrowIfNull(orderGid);
        if (reason is null || !CancelReasons.Contains(reason))
        {
            throw new ArgumentException($"Reason must be one of {string.Join(", ", CancelReasons.Order(StringComparer.Ordinal))}.", nameof(reason));
        }

        return CancelOrder(orderGid, reason, restock, staffNote, null);
    }

    private static void ThrowOnUserErrors(string mutation, IReadOnlyList<ShopUserError> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Shopify refused {mutation}: {string.Join(" ", errors.Select(e => e.Code is null ? e.Message : $"{e.Message} ({e.Code})"))}");
        }
    }
}
