using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.GraphQL;

namespace Connector.Sandbox.Shopify;

/// <summary>A mutation's user error: <c>{ field, message, code }</c>. Shopify writes list indexes in <c>field</c> as strings.</summary>
internal sealed record ShopUserError(IReadOnlyList<string>? Field, string Message, string? Code = null);

internal sealed record OrderCreateOutcome(SimShopifyOrder? Order, IReadOnlyList<ShopUserError> Errors, bool DropResponse);

internal sealed record OrderCancelOutcome(string? JobId, IReadOnlyList<ShopUserError> Errors);

internal sealed record OrderCloseOutcome(SimShopifyOrder? Order, IReadOnlyList<ShopUserError> Errors);

internal sealed record FulfillmentCreateOutcome(SimShopifyFulfillment? Fulfillment, IReadOnlyList<ShopUserError> Errors);

/// <summary>
/// The order mutations (store-apis.md §2.2 orderCreate, §2.6 fulfillmentCreate/orderCancel/orderClose). Inputs arrive
/// already validated and coerced against the schema; these methods apply Shopify's business rules. Messages marked
/// [I] in comments are plausible wording, not verified against a live shop; codes come from the schema's enums.
/// </summary>
public sealed partial class SimShopifyShop
{
    internal OrderCreateOutcome CreateOrder(JsonObject input, JsonObject? options)
    {
        lock (_gate)
        {
            if (_failNextOrderCreate.TryDequeue(out var forced))
            {
                return new OrderCreateOutcome(null, [new ShopUserError(null, forced, "INVALID")], false);
            }

            var now = _time.GetUtcNow();
            var errors = new List<ShopUserError>();
            var behaviour = options.Str("inventoryBehaviour") ?? "BYPASS";
            var currency = _currency;

            // OrderCreateCustomerInput: "only one is permitted" -> REDUNDANT_CUSTOMER_FIELDS (§2.2).
            var customer = input.Obj("customer");
            if (customer.Has("toAssociate") && customer.Has("toUpsert"))
            {
                errors.Add(new ShopUserError(["order", "customer"], "Both customer_id and customer were provided - only one is permitted.", "REDUNDANT_CUSTOMER_FIELDS"));
            }

            // processedAt "in the past to match when the original order was created"; a future date -> PROCESSED_AT_INVALID
            // (§2.2). A minute of grace absorbs clock skew between the caller and the simulator's TimeProvider.
            var processedAt = input.Date("processedAt") ?? now;
            if (processedAt > now + TimeSpan.FromMinutes(1))
            {
                errors.Add(new ShopUserError(["order", "processedAt"], "Processed at must not be in the future.", "PROCESSED_AT_INVALID")); // [I] wording
            }

            var lineInputs = input.Objects("lineItems");
            if (lineInputs.Count == 0)
            {
                errors.Add(new ShopUserError(["order", "lineItems"], "Line items must have at least one line item.", "INVALID")); // [I]
            }

            if (input.Objects("taxLines").Count > 0 && lineInputs.Any(l => l.Objects("taxLines").Count > 0))
            {
                // "tax lines can be specified on the order or the line items but not both" (§2.2, §2.7).
                errors.Add(new ShopUserError(["order", "taxLines"], "Tax lines can be specified on the order or on line items, but not both.", "INVALID"));
            }

            var lines = new List<(JsonObject Input, SimShopifyVariant? Variant, decimal Price)>();
            for (var i = 0; i < lineInputs.Count; i++)
            {
                var line = lineInputs[i];
                var index = i.ToString(CultureInfo.InvariantCulture);
                var quantity = line.Int("quantity") ?? 0;
                if (quantity < 1)
                {
                    errors.Add(new ShopUserError(["order", "lineItems", index, "quantity"], "Quantity must be greater than or equal to 1.", "INVALID")); // [I]
                }

                SimShopifyVariant? variant = null;
                var variantId = line.Str("variantId");
                if (variantId is not null)
                {
                    if (!Gid.TryParse(variantId, "ProductVariant", out var variantNumber) || !_variants.TryGetValue(variantNumber, out variant))
                    {
                        errors.Add(new ShopUserError(["order", "lineItems", index, "variantId"], $"Variant {variantId} does not exist.", "INVALID")); // [I]
                    }
                }
                else
                {
                    // Custom (non-catalog) line: title + priceSet (§2.2 "Big Brown Bear Boots").
                    if (string.IsNullOrWhiteSpace(line.Str("title")))
                    {
                        errors.Add(new ShopUserError(["order", "lineItems", index, "title"], "Title can't be blank for a line item without a variant.", "INVALID")); // [I]
                    }

                    if (!line.Has("priceSet"))
                    {
                        errors.Add(new ShopUserError(["order", "lineItems", index, "priceSet"], "Price set can't be blank for a line item without a variant.", "INVALID")); // [I]
                    }
                }

                var price = variant?.Price ?? 0m;
                if (line.Obj("priceSet") is { } priceSet)
                {
                    price = CheckMoney(priceSet, ["order", "lineItems", index, "priceSet"], currency, errors) ?? price;
                }

                foreach (var (tax, t) in line.Objects("taxLines").Select((tax, t) => (tax, t)))
                {
                    CheckTaxLine(tax, ["order", "lineItems", index, "taxLines", t.ToString(CultureInfo.InvariantCulture)], currency, errors);
                }

                lines.Add((line, variant, price));
            }

            var shippingInputs = input.Objects("shippingLines");
            for (var i = 0; i < shippingInputs.Count; i++)
            {
                // "priceSet ... Can't be negative" (§2.2).
                CheckMoney(shippingInputs[i].Obj("priceSet")!, ["order", "shippingLines", i.ToString(CultureInfo.InvariantCulture), "priceSet"], currency, errors);
            }

            foreach (var (tax, t) in input.Objects("taxLines").Select((tax, t) => (tax, t)))
            {
                CheckTaxLine(tax, ["order", "taxLines", t.ToString(CultureInfo.InvariantCulture)], currency, errors);
            }

            var transactionInputs = input.Objects("transactions");
            for (var i = 0; i < transactionInputs.Count; i++)
            {
                CheckMoney(transactionInputs[i].Obj("amountSet")!, ["order", "transactions", i.ToString(CultureInfo.InvariantCulture), "amountSet"], currency, errors);
            }

            var metafieldInputs = input.Objects("metafields");
            for (var i = 0; i < metafieldInputs.Count; i++)
            {
                foreach (var required in new[] { "namespace", "key", "type", "value" })
                {
                    if (string.IsNullOrWhiteSpace(metafieldInputs[i].Str(required)))
                    {
                        errors.Add(new ShopUserError(["order", "metafields", i.ToString(CultureInfo.InvariantCulture), required], $"{char.ToUpperInvariant(required[0])}{required[1..]} can't be blank.", "INVALID")); // [I]
                    }
                }
            }

            // Inventory (OrderCreateOptionsInput.inventoryBehaviour, default BYPASS, §2.2).
            var claims = new Dictionary<long, int>();
            if (behaviour != "BYPASS")
            {
                foreach (var group in lines.Where(l => l.Variant is not null).GroupBy(l => Gid.Number(l.Variant!.Id)))
                {
                    claims[group.Key] = group.Sum(l => Math.Max(0, l.Input.Int("quantity") ?? 0));
                }

                if (behaviour == "DECREMENT_OBEYING_POLICY")
                {
                    foreach (var (claimedVariant, quantity) in claims)
                    {
                        var variant = _variants[claimedVariant];
                        if (variant.InventoryPolicy == "DENY" && variant.Inventory < quantity)
                        {
                            var index = lines.FindIndex(l => l.Variant?.Id == variant.Id).ToString(CultureInfo.InvariantCulture);
                            errors.Add(new ShopUserError(
                                ["order", "lineItems", index],
                                $"Unable to claim inventory for {variant.Sku ?? variant.Id}: {variant.Inventory} available, {quantity} requested.", // [I]
                                "INVENTORY_CLAIM_FAILED"));
                        }
                    }
                }
            }

            if (errors.Count > 0)
            {
                return new OrderCreateOutcome(null, errors, false);
            }

            var orderNumber = _ids.Next();
            var orderId = Gid.Create("Order", orderNumber);
            var number = _nextOrderNumber++;
            var lineItems = new List<SimShopifyLineItem>();
            var claimedByVariant = new Dictionary<long, int>(claims);
            foreach (var (line, variant, price) in lines)
            {
                var quantity = line.Int("quantity")!.Value;
                var claimed = 0;
                if (variant is not null && claimedByVariant.TryGetValue(Gid.Number(variant.Id), out var remaining) && remaining > 0)
                {
                    claimed = Math.Min(quantity, remaining);
                    claimedByVariant[Gid.Number(variant.Id)] = remaining - claimed;
                }

                var product = variant is null ? null : _products.GetValueOrDefault(variant.ProductId);
                lineItems.Add(new SimShopifyLineItem(
                    Gid.Create("LineItem", _ids.Next()),
                    variant?.Id,
                    variant?.ProductId,
                    variant?.Sku ?? line.Str("sku"),
                    product?.Title ?? line.Str("title")!,
                    variant is null ? line.Str("variantTitle") : variant.Title == "Default Title" ? null : variant.Title,
                    quantity,
                    price,
                    currency)
                {
                    RequiresShipping = variant is not null || (line.Bool("requiresShipping") ?? false),
                    Taxable = line.Bool("taxable") ?? true,
                    Vendor = line.Str("vendor"),
                    Properties = line.Objects("properties").Select(p => new SimShopifyKeyValue(p.Str("name")!, p.Str("value"))).ToArray(),
                    TaxLines = line.Objects("taxLines").Select(ToTaxLine).ToArray(),
                    ClaimedInventory = claimed,
                });
            }

            foreach (var (variantNumber, quantity) in claims)
            {
                var variant = _variants[variantNumber];
                SaveVariantStock(variantNumber, variant with { Inventory = variant.Inventory - quantity, UpdatedAt = now });
            }

            var transactions = transactionInputs.Select(t => new SimShopifyTransaction(
                t.Str("kind") ?? "SALE",
                t.Str("status") ?? "SUCCESS",
                t.Str("gateway"),
                t.Obj("amountSet").Obj("shopMoney").Dec("amount") ?? 0m,
                currency)).ToArray();

            var order = new SimShopifyOrder
            {
                Id = orderId,
                Number = number,
                Name = input.Str("name") ?? "#" + number.ToString(CultureInfo.InvariantCulture),
                CreatedAt = now,
                UpdatedAt = now,
                ProcessedAt = processedAt,
                CurrencyCode = currency,
                PresentmentCurrencyCode = input.Str("presentmentCurrency") ?? input.Str("currency") ?? currency,
                Email = input.Str("email") ?? customer.Obj("toUpsert").Str("email"),
                Phone = input.Str("phone"),
                Note = input.Str("note"),
                PoNumber = input.Str("poNumber"),
                SourceName = input.Str("sourceName"),
                SourceIdentifier = input.Str("sourceIdentifier"),
                SourceUrl = input.Str("sourceUrl"),
                Test = input.Bool("test") ?? false,
                TaxesIncluded = input.Bool("taxesIncluded") ?? false,
                InventoryBehaviour = behaviour,
                FinancialStatus = "PENDING",
                LineItems = lineItems,
                ShippingLines = shippingInputs.Select(s => new SimShopifyShippingLine(
                    s.Str("title")!,
                    s.Str("code"),
                    s.Str("source"),
                    s.Obj("priceSet").Obj("shopMoney").Dec("amount") ?? 0m,
                    currency)).ToArray(),
                ShippingAddress = ToAddress(input.Obj("shippingAddress")),
                BillingAddress = ToAddress(input.Obj("billingAddress")),
                Tags = input.Strings("tags").Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
                CustomAttributes = input.Objects("customAttributes").Select(a => new SimShopifyKeyValue(a.Str("key")!, a.Str("value"))).ToArray(),
                Metafields = metafieldInputs.Select(m => new SimShopifyMetafield(
                    Gid.Create("Metafield", _ids.Next()),
                    m.Str("namespace")!,
                    m.Str("key")!,
                    m.Str("type")!,
                    m.Str("value")!)).ToArray(),
                Transactions = transactions,
                TaxLines = input.Objects("taxLines").Select(ToTaxLine).ToArray(),
            };

            order = order with { FinancialStatus = input.Str("financialStatus") ?? DeriveFinancialStatus(transactions, order.TotalPrice) };

            var fulfillmentOrder = new SimShopifyFulfillmentOrder(
                Gid.Create("FulfillmentOrder", _ids.Next()),
                orderId,
                "OPEN",
                lineItems.Select(l => new SimShopifyFulfillmentOrderLineItem(Gid.Create("FulfillmentOrderLineItem", _ids.Next()), l.Id, l.Quantity, l.Quantity)).ToArray(),
                now,
                now);
            order = order with { FulfillmentOrders = [fulfillmentOrder] };

            // Orders imported as already shipped (e.g. fulfilled by TikTok): "fulfillment ... will apply to all line items" (§2.6).
            var fulfillmentInput = input.Obj("fulfillment");
            if (fulfillmentInput is not null || input.Str("fulfillmentStatus") == "FULFILLED")
            {
                var tracking = fulfillmentInput is null || (fulfillmentInput.Str("trackingNumber") is null && fulfillmentInput.Str("trackingCompany") is null)
                    ? Array.Empty<SimShopifyTrackingInfo>()
                    : [new SimShopifyTrackingInfo(fulfillmentInput.Str("trackingCompany"), fulfillmentInput.Str("trackingNumber"), null)];
                order = Fulfill(order, fulfillmentOrder.LineItems.ToDictionary(l => l.Id, l => l.RemainingQuantity), tracking, fulfillmentInput.Bool("notifyCustomer") ?? false, now).Order;
            }

            SaveOrder(order);
            var drop = false;
            if (_dropResponseAfterOrderCreate > 0)
            {
                _dropResponseAfterOrderCreate--;
                drop = true;
            }

            return new OrderCreateOutcome(order, [], drop);
        }
    }

    internal OrderCancelOutcome CancelOrder(string orderId, string reason, bool restock, string? staffNote, JsonObject? refundMethod)
    {
        lock (_gate)
        {
            if (!Gid.TryParse(orderId, "Order", out var number) || !_orders.TryGetValue(number, out var order))
            {
                return new OrderCancelOutcome(null, [new ShopUserError(["orderId"], "Order does not exist.", "NOT_FOUND")]); // [I]
            }

            if (order.CancelledAt is not null)
            {
                return new OrderCancelOutcome(null, [new ShopUserError(["orderId"], "Order has already been cancelled.", "INVALID")]); // [I]
            }

            // "An order can only be cancelled if ... no outstanding fulfillments that can't be cancelled" (§2.6).
            if (order.Fulfillments.Any(f => f.Status == "SUCCESS"))
            {
                return new OrderCancelOutcome(null, [new ShopUserError(["orderId"], "Order has fulfillments; cancel them before cancelling the order.", "INVALID")]); // [I]
            }

            var now = _time.GetUtcNow();
            if (restock)
            {
                // Restock returns what the order took from stock at creation (nothing for BYPASS orders).
                foreach (var line in order.LineItems.Where(l => l.VariantId is not null && l.ClaimedInventory > 0))
                {
                    var variantNumber = Gid.Number(line.VariantId!);
                    if (_variants.TryGetValue(variantNumber, out var variant))
                    {
                        SaveVariantStock(variantNumber, variant with { Inventory = variant.Inventory + line.ClaimedInventory, UpdatedAt = now });
                    }
                }
            }

            var refund = refundMethod.Bool("originalPaymentMethodsRefund") == true;
            var cancelled = order with
            {
                CancelledAt = now,
                CancelReason = reason,
                CancelStaffNote = staffNote,
                CancelRestocked = restock,
                UpdatedAt = now,
                FinancialStatus = refund && order.FinancialStatus is "PAID" or "PARTIALLY_PAID" ? "REFUNDED" : order.FinancialStatus == "AUTHORIZED" ? "VOIDED" : order.FinancialStatus,
                FulfillmentOrders = order.FulfillmentOrders.Select(f => f.Status is "CLOSED" ? f : f with { Status = "CANCELLED", UpdatedAt = now }).ToArray(),
            };
            SaveOrder(cancelled);

            // orderCancel is asynchronous on Shopify ("The job that asynchronously cancels the order", §2.6). Here the
            // cancellation is already applied; the payload says done: false and job(id:) then says done: true.
            var jobId = Gid.Create("Job", _ids.Next());
            _jobs = _jobs.Add(jobId);
            return new OrderCancelOutcome(jobId, []);
        }
    }

    internal OrderCloseOutcome CloseOrder(string orderId)
    {
        lock (_gate)
        {
            if (!Gid.TryParse(orderId, "Order", out var number) || !_orders.TryGetValue(number, out var order))
            {
                return new OrderCloseOutcome(null, [new ShopUserError(["id"], "Order does not exist.")]); // [I]
            }

            if (!order.Closed)
            {
                var now = _time.GetUtcNow();
                order = order with { Closed = true, ClosedAt = now, UpdatedAt = now };
                SaveOrder(order);
            }

            return new OrderCloseOutcome(order, []);
        }
    }

    /// <summary>orderUpdate (store-apis.md §2.6 "Other"): shipping address, note, tags and email of an existing order.</summary>
    internal OrderCloseOutcome UpdateOrder(JsonObject input)
    {
        lock (_gate)
        {
            if (!Gid.TryParse(input.Str("id"), "Order", out var number) || !_orders.TryGetValue(number, out var order))
            {
                return new OrderCloseOutcome(null, [new ShopUserError(["id"], "Order does not exist.")]); // [I]
            }

            if (order.CancelledAt is not null && input.Obj("shippingAddress") is not null)
            {
                return new OrderCloseOutcome(null, [new ShopUserError(["shippingAddress"], "Cannot update the shipping address of a cancelled order.")]); // [I]
            }

            order = order with
            {
                ShippingAddress = input.Obj("shippingAddress") is { } address ? ToAddress(address) : order.ShippingAddress,
                Note = input.ContainsKey("note") ? input.Str("note") : order.Note,
                Email = input.Str("email") ?? order.Email,
                UpdatedAt = _time.GetUtcNow(),
            };
            SaveOrder(order);
            return new OrderCloseOutcome(order, []);
        }
    }

    internal FulfillmentCreateOutcome CreateFulfillment(JsonObject input)
    {
        lock (_gate)
        {
            var errors = new List<ShopUserError>();
            var groups = input.Objects("lineItemsByFulfillmentOrder");
            if (groups.Count == 0)
            {
                return new FulfillmentCreateOutcome(null, [new ShopUserError(["fulfillment", "lineItemsByFulfillmentOrder"], "Line items by fulfillment order can't be blank.")]); // [I]
            }

            SimShopifyOrder? order = null;
            var quantities = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < groups.Count; i++)
            {
                var index = i.ToString(CultureInfo.InvariantCulture);
                var fulfillmentOrderId = groups[i].Str("fulfillmentOrderId")!;
                var owner = _orders.Values.FirstOrDefault(o => o.FulfillmentOrders.Any(f => f.Id == fulfillmentOrderId));
                var fulfillmentOrder = owner?.FulfillmentOrders.First(f => f.Id == fulfillmentOrderId);
                if (owner is null || fulfillmentOrder is null)
                {
                    errors.Add(new ShopUserError(["fulfillment", "lineItemsByFulfillmentOrder", index, "fulfillmentOrderId"], "Fulfillment order does not exist.")); // [I]
                    continue;
                }

                if (order is not null && order.Id != owner.Id)
                {
                    errors.Add(new ShopUserError(["fulfillment", "lineItemsByFulfillmentOrder", index, "fulfillmentOrderId"], "All fulfillment orders must belong to the same order.")); // [I]
                    continue;
                }

                order = owner;
                if (fulfillmentOrder.Status is "CLOSED" or "CANCELLED")
                {
                    errors.Add(new ShopUserError(
                        ["fulfillment", "lineItemsByFulfillmentOrder", index, "fulfillmentOrderId"],
                        $"Fulfillment order {fulfillmentOrderId} has an unfulfillable status= {fulfillmentOrder.Status.ToLowerInvariant()}."));
                    continue;
                }

                var requested = groups[i].Objects("fulfillmentOrderLineItems");
                if (requested.Count == 0)
                {
                    // "if the fulfillment order line items are left blank then all ... will be fulfilled" (§2.6).
                    foreach (var item in fulfillmentOrder.LineItems.Where(l => l.RemainingQuantity > 0))
                    {
                        quantities[item.Id] = item.RemainingQuantity;
                    }

                    continue;
                }

                for (var j = 0; j < requested.Count; j++)
                {
                    var lineIndex = j.ToString(CultureInfo.InvariantCulture);
                    var itemId = requested[j].Str("id")!;
                    var quantity = requested[j].Int("quantity") ?? 0;
                    var item = fulfillmentOrder.LineItems.FirstOrDefault(l => l.Id == itemId);
                    if (item is null)
                    {
                        errors.Add(new ShopUserError(["fulfillment", "lineItemsByFulfillmentOrder", index, "fulfillmentOrderLineItems", lineIndex, "id"], "Fulfillment order line item does not exist.")); // [I]
                    }
                    else if (quantity < 1 || quantity + quantities.GetValueOrDefault(itemId) > item.RemainingQuantity)
                    {
                        errors.Add(new ShopUserError(["fulfillment", "lineItemsByFulfillmentOrder", index, "fulfillmentOrderLineItems", lineIndex, "quantity"], "Invalid fulfillment order line item quantity requested."));
                    }
                    else
                    {
                        quantities[itemId] = quantities.GetValueOrDefault(itemId) + quantity;
                    }
                }
            }

            if (errors.Count == 0 && (order is null || quantities.Count == 0))
            {
                errors.Add(new ShopUserError(["fulfillment"], "The fulfillment has no line items left to fulfill.")); // [I]
            }

            if (errors.Count > 0)
            {
                return new FulfillmentCreateOutcome(null, errors);
            }

            var trackingInput = input.Obj("trackingInfo");
            var numbers = trackingInput.Strings("numbers").Count > 0 ? trackingInput.Strings("numbers") : trackingInput.Str("number") is { } single ? [single] : [];
            var urls = trackingInput.Strings("urls").Count > 0 ? trackingInput.Strings("urls") : trackingInput.Str("url") is { } url ? [url] : [];
            var company = trackingInput.Str("company");
            var tracking = new List<SimShopifyTrackingInfo>();
            for (var i = 0; i < Math.Max(numbers.Count, urls.Count); i++)
            {
                tracking.Add(new SimShopifyTrackingInfo(company, i < numbers.Count ? numbers[i] : null, i < urls.Count ? urls[i] : null));
            }

            if (tracking.Count == 0 && company is not null)
            {
                tracking.Add(new SimShopifyTrackingInfo(company, null, null));
            }

            var (updated, fulfillment) = Fulfill(order!, quantities, tracking, input.Bool("notifyCustomer") ?? false, _time.GetUtcNow());
            SaveOrder(updated);
            return new FulfillmentCreateOutcome(fulfillment, []);
        }
    }

    private (SimShopifyOrder Order, SimShopifyFulfillment Fulfillment) Fulfill(
        SimShopifyOrder order,
        Dictionary<string, int> quantities,
        IReadOnlyList<SimShopifyTrackingInfo> tracking,
        bool notifyCustomer,
        DateTimeOffset now)
    {
        var lines = new List<SimShopifyFulfillmentLine>();
        var fulfillmentOrders = order.FulfillmentOrders.Select(fo =>
        {
            if (!fo.LineItems.Any(l => quantities.ContainsKey(l.Id)))
            {
                return fo;
            }

            var items = fo.LineItems.Select(l =>
            {
                if (!quantities.TryGetValue(l.Id, out var quantity) || quantity == 0)
                {
                    return l;
                }

                lines.Add(new SimShopifyFulfillmentLine(Gid.Create("FulfillmentLineItem", _ids.Next()), l.LineItemId, l.Id, quantity));
                return l with { RemainingQuantity = l.RemainingQuantity - quantity };
            }).ToArray();
            return fo with { LineItems = items, Status = items.All(l => l.RemainingQuantity == 0) ? "CLOSED" : "IN_PROGRESS", UpdatedAt = now };
        }).ToArray();

        var fulfillment = new SimShopifyFulfillment(
            Gid.Create("Fulfillment", _ids.Next()),
            $"{order.Name}.{order.Fulfillments.Count + 1}",
            "SUCCESS",
            now,
            tracking,
            lines,
            notifyCustomer);
        return (order with { FulfillmentOrders = fulfillmentOrders, Fulfillments = [.. order.Fulfillments, fulfillment], UpdatedAt = now }, fulfillment);
    }

    private static decimal? CheckMoney(JsonObject moneyBag, string[] path, string currency, List<ShopUserError> errors)
    {
        var shopMoney = moneyBag.Obj("shopMoney");
        var amount = shopMoney.Dec("amount");
        if (amount < 0)
        {
            errors.Add(new ShopUserError([.. path, "shopMoney", "amount"], "Can't be negative.", "INVALID"));
        }

        // "The price of the item ... in the shop currency" (§2.2): shopMoney must be in the shop's currency. [I] wording
        if (shopMoney.Str("currencyCode") is { } code && !string.Equals(code, currency, StringComparison.Ordinal))
        {
            errors.Add(new ShopUserError([.. path, "shopMoney", "currencyCode"], $"Currency code {code} does not match the shop currency {currency}.", "INVALID"));
        }

        return amount;
    }

    private static void CheckTaxLine(JsonObject tax, string[] path, string currency, List<ShopUserError> errors)
    {
        if (tax.Obj("priceSet") is { } priceSet)
        {
            CheckMoney(priceSet, [.. path, "priceSet"], currency, errors);
        }
    }

    private static SimShopifyTaxLine ToTaxLine(JsonObject tax) =>
        new(tax.Str("title")!, tax.Dec("rate") ?? 0m, tax.Obj("priceSet").Obj("shopMoney").Dec("amount") ?? 0m);

    private static SimShopifyAddress? ToAddress(JsonObject? address) => address is null
        ? null
        : new SimShopifyAddress
        {
            FirstName = address.Str("firstName"),
            LastName = address.Str("lastName"),
            Company = address.Str("company"),
            Address1 = address.Str("address1"),
            Address2 = address.Str("address2"),
            City = address.Str("city"),
            ProvinceCode = address.Str("provinceCode"),
            CountryCode = address.Str("countryCode"),
            Zip = address.Str("zip"),
            Phone = address.Str("phone"),
        };

    /// <summary>"If not specified, then this will be derived through the given transactions" (§2.2).</summary>
    private static string DeriveFinancialStatus(IReadOnlyList<SimShopifyTransaction> transactions, decimal total)
    {
        var succeeded = transactions.Where(t => t.Status == "SUCCESS").ToList();
        var paid = succeeded.Where(t => t.Kind is "SALE" or "CAPTURE").Sum(t => t.Amount);
        if (paid > 0)
        {
            return paid >= total ? "PAID" : "PARTIALLY_PAID";
        }

        return succeeded.Any(t => t.Kind is "AUTHORIZATION" or "EMV_AUTHORIZATION") ? "AUTHORIZED" : "PENDING";
    }
}
