using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.GraphQL;

namespace Connector.Sandbox.Shopify;

internal sealed record RefundCreateOutcome(SimShopifyRefund? Refund, SimShopifyOrder? Order, IReadOnlyList<ShopUserError> Errors);

/// <summary>
/// refundCreate (admin-2026-01.schema.graphql, Mutation.refundCreate and RefundInput / RefundLineItemInput /
/// RefundLineItemRestockType / OrderTransactionInput). What it refuses, with where the rule comes from:
/// <list type="bullet">
/// <item>no <c>@idempotent</c> key: "As of 2026-04, the idempotency key is required" (the mutation's description; Shopify changelog
/// "Making idempotency mandatory for inventory adjustments and refund mutations": "calling these mutations without an idempotency
/// directive will result in an error at runtime"). The simulator applies 2026-04's rule at every version, so a client is ready for it.</item>
/// <item>the same key again: "Shopify will recognize it as a duplicate and ensure … the refund is only created once … It will return
/// the result of the original operation" (changelog "Adding idempotency …"): the first answer again, no second refund.</item>
/// <item>a line of another order, a quantity below 1 or above what is left to refund (LineItem.refundableQuantity).</item>
/// <item>restockType LEGACY_RESTOCK ("This value is not accepted when creating new refunds"); RETURN for more units than were
/// fulfilled ("Use this when restocking line items that were fulfilled"), CANCEL for more than are unfulfilled ("Use this when
/// restocking unfulfilled line items").</item>
/// <item>transactions that refund more than was paid, unless <c>allowOverRefunding</c> ("Whether to allow the total refunded amount to
/// surpass the amount paid for the order").</item>
/// </list>
/// Restocking (RETURN, CANCEL) puts the units back in the variant's stock; CANCEL also takes them off what is left to fulfil. The user
/// errors' wording is the simulator's own [I]: the schema documents the rules, not the messages.
/// </summary>
public sealed partial class SimShopifyShop
{
    private ImmutableDictionary<string, (SimShopifyRefund Refund, string OrderId)> _refundsByKey =
        ImmutableDictionary<string, (SimShopifyRefund, string)>.Empty.WithComparers(StringComparer.Ordinal);

    private readonly Queue<string> _failNextRefundCreate = new();

    /// <summary>The next refundCreate answers this user error and refunds nothing (a store refusal, for tests of what a connector shows).</summary>
    public void FailNextRefundCreate(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        lock (_gate)
        {
            _failNextRefundCreate.Enqueue(message);
        }
    }

    /// <summary>Number of refundCreate calls that made a refund (a repeated key makes none).</summary>
    public int RefundsCreated => Orders.Sum(o => o.Refunds.Count);

    internal RefundCreateOutcome CreateRefund(JsonObject input, string? idempotencyKey)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            throw new FieldErrorException(
                "The @idempotent directive with a key is required for refundCreate.",
                new JsonObject { ["code"] = "IDEMPOTENCY_KEY_REQUIRED" }); // wording [I]; the requirement is the schema's (2026-04)
        }

        lock (_gate)
        {
            if (_refundsByKey.TryGetValue(idempotencyKey, out var earlier))
            {
                return new RefundCreateOutcome(earlier.Refund, _orders[Gid.Number(earlier.OrderId)], []);
            }

            if (_failNextRefundCreate.TryDequeue(out var failure))
            {
                return new RefundCreateOutcome(null, null, [new ShopUserError(null, failure)]);
            }

            var orderId = input.Str("orderId");
            if (!Gid.TryParse(orderId, "Order", out var number) || !_orders.TryGetValue(number, out var order))
            {
                return Refused(["orderId"], "Order does not exist.");
            }

            var errors = new List<ShopUserError>();
            var lines = new List<SimShopifyRefundLine>();
            var requested = input.Objects("refundLineItems");
            var perLine = new Dictionary<string, (int Return, int Cancel, int Total)>(StringComparer.Ordinal);
            for (var i = 0; i < requested.Count; i++)
            {
                var index = i.ToString(CultureInfo.InvariantCulture);
                var item = requested[i];
                var lineItemId = item.Str("lineItemId");
                var quantity = item.Int("quantity") ?? 0;
                var restockType = item.Str("restockType") ?? "NO_RESTOCK";
                var line = order.LineItems.FirstOrDefault(l => l.Id == lineItemId);
                if (line is null)
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "lineItemId"], "Line item does not belong to this order."));
                    continue;
                }

                if (quantity < 1)
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "quantity"], "Quantity must be greater than 0."));
                    continue;
                }

                if (restockType == "LEGACY_RESTOCK")
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "restockType"], "LEGACY_RESTOCK is not accepted when creating new refunds."));
                    continue;
                }

                var sums = perLine.GetValueOrDefault(line.Id);
                sums = (sums.Return + (restockType == "RETURN" ? quantity : 0), sums.Cancel + (restockType == "CANCEL" ? quantity : 0), sums.Total + quantity);
                perLine[line.Id] = sums;
                if (sums.Total > order.RefundableQuantity(line.Id))
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "quantity"],
                        $"Quantity cannot refund more items than are left to refund ({order.RefundableQuantity(line.Id)})."));
                    continue;
                }

                var unfulfilled = Unfulfilled(order, line.Id);
                var fulfilled = order.RefundableQuantity(line.Id) - unfulfilled;
                if (sums.Return > fulfilled)
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "restockType"], $"RETURN restocks fulfilled items; only {Math.Max(0, fulfilled)} of this line are fulfilled."));
                    continue;
                }

                if (sums.Cancel > unfulfilled)
                {
                    errors.Add(new ShopUserError(["refundLineItems", index, "restockType"], $"CANCEL restocks unfulfilled items; only {unfulfilled} of this line are unfulfilled."));
                    continue;
                }

                lines.Add(new SimShopifyRefundLine(Gid.Create("RefundLineItem", _ids.Next()), line.Id, quantity, restockType));
            }

            var amount = 0m;
            var transactions = input.Objects("transactions");
            for (var i = 0; i < transactions.Count; i++)
            {
                var t = transactions[i];
                if (t.Str("kind") != "REFUND")
                {
                    errors.Add(new ShopUserError(["transactions", i.ToString(CultureInfo.InvariantCulture), "kind"], "A refund's transactions must be of kind REFUND."));
                    continue;
                }

                if (t.Str("orderId") != order.Id)
                {
                    errors.Add(new ShopUserError(["transactions", i.ToString(CultureInfo.InvariantCulture), "orderId"], "The transaction belongs to another order."));
                    continue;
                }

                amount += decimal.TryParse(t["amount"]?.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : 0m;
            }

            if (amount > order.RefundableAmount && input.Bool("allowOverRefunding") != true)
            {
                errors.Add(new ShopUserError(["transactions"], $"Refund amount {amount:0.00} exceeds the refundable amount {order.RefundableAmount:0.00}."));
            }

            if (errors.Count > 0)
            {
                return new RefundCreateOutcome(null, null, errors);
            }

            var now = _time.GetUtcNow();
            var refund = new SimShopifyRefund(Gid.Create("Refund", _ids.Next()), now, input.Str("note"), lines, amount, order.CurrencyCode, idempotencyKey);
            foreach (var line in lines.Where(l => l.Restocked))
            {
                var variantId = order.LineItems.First(l => l.Id == line.LineItemId).VariantId;
                if (variantId is not null && _variants.TryGetValue(Gid.Number(variantId), out var variant))
                {
                    SaveVariantStock(Gid.Number(variantId), variant with { Inventory = variant.Inventory + line.Quantity, UpdatedAt = now });
                }
            }

            var refunded = order.Transactions.Where(t => t.Kind == "REFUND").Sum(t => t.Amount) + amount;
            var paid = order.Transactions.Where(t => t.Status == "SUCCESS" && t.Kind is "SALE" or "CAPTURE").Sum(t => t.Amount);
            order = order with
            {
                Refunds = [.. order.Refunds, refund],
                Transactions = amount > 0 ? [.. order.Transactions, new SimShopifyTransaction("REFUND", "SUCCESS", transactions[0].Str("gateway"), amount, order.CurrencyCode)] : order.Transactions,
                FinancialStatus = amount <= 0 ? order.FinancialStatus : refunded >= paid ? "REFUNDED" : "PARTIALLY_REFUNDED",
                FulfillmentOrders = CancelUnfulfilled(order, lines.Where(l => l.RestockType == "CANCEL").ToList(), now),
                UpdatedAt = now,
            };
            SaveOrder(order);
            _refundsByKey = _refundsByKey.Add(idempotencyKey, (refund, order.Id));
            return new RefundCreateOutcome(refund, order, []);
        }

        static RefundCreateOutcome Refused(IReadOnlyList<string> field, string message) => new(null, null, [new ShopUserError(field, message)]);
    }

    private static int Unfulfilled(SimShopifyOrder order, string lineItemId) =>
        order.CancelledAt is not null ? 0 : order.FulfillmentOrders.SelectMany(f => f.LineItems).Where(i => i.LineItemId == lineItemId).Sum(i => i.RemainingQuantity);

    private static SimShopifyFulfillmentOrder[] CancelUnfulfilled(SimShopifyOrder order, List<SimShopifyRefundLine> cancelled, DateTimeOffset now)
    {
        var left = cancelled.GroupBy(l => l.LineItemId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        return [.. order.FulfillmentOrders.Select(f => left.Count == 0 ? f : f with
        {
            UpdatedAt = now,
            LineItems = [.. f.LineItems.Select(i =>
            {
                var take = Math.Min(left.GetValueOrDefault(i.LineItemId), i.RemainingQuantity);
                if (take == 0)
                {
                    return i;
                }

                left[i.LineItemId] -= take;
                return i with { RemainingQuantity = i.RemainingQuantity - take };
            })],
        })];
    }
}
