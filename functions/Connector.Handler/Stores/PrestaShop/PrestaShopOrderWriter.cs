using System.Globalization;
using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// PrestaShop 1.7/8 orders through its Webservice (store-apis.md §1): for the products <see cref="PrestaShopCatalog"/>
/// matched, customer → address → cart (one per TikTok order, marked with the TikTok order id) → cart-scoped specific prices
/// (tax-excluded, computed with the shop's tax rules and rounding) → <c>POST /api/orders</c> (validateOrder with the
/// configured payment module) → the mapped state through <c>order_histories</c>.
/// <para>
/// Exactly once: the cart's <c>gift_message</c> carries "TikTok Shop order {id}", so <see cref="FindImportedOrderAsync"/>
/// finds an order a previous attempt created (answer lost, crash before the state write), and a repeated create reuses
/// that cart, on which PrestaShop refuses a second order. Customers, addresses, carts and specific prices are looked up
/// before they are created, so a redelivery after a failure half-way repeats no write that matters. Writes are never
/// retried blindly; a lost answer is settled by the importer looking the order up first.
/// </para>
/// <para>
/// An order that lands in "Payment error" (PrestaShop computed another total than TikTok's) is reported as
/// <see cref="StoreRejectedException"/> with both amounts, at creation and again whenever it is looked up, so the
/// merchant sees it as Failed, fixes it in PrestaShop, and a retry adopts it instead of creating a second one.
/// </para>
/// </summary>
public sealed partial class PrestaShopOrderWriter(
    PrestaShopWebservice ws, PrestaShopConfigReader configs, PrestaShopCheckout checkout, ILogger<PrestaShopOrderWriter> logger) : IStoreOrderWriter
{
    public async Task<StoreOrderRef?> FindImportedOrderAsync(StoreAccess shop, string tiktokOrderId, CancellationToken cancellationToken)
    {
        var cart = await checkout.FindCartAsync(shop, tiktokOrderId, cancellationToken);
        if (cart is null)
        {
            return null;
        }

        var order = await checkout.FindOrderByCartAsync(shop, PrestaShopXml.Long(cart["id"]), cancellationToken);
        return order is null ? null : await SettleAsync(shop, tiktokOrderId, order, cancellationToken);
    }

    public async Task<StoreOrderRef> CreateOrderAsync(StoreAccess shop, StoreOrderDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(draft);
        var storeOptions = PrestaShopStoreOptions.Parse(shop.OptionsJson);
        var config = await configs.GetAsync(shop, cancellationToken);
        var address = draft.ShippingAddress
            ?? throw new StoreRejectedException("PrestaShop needs a delivery address for the order, and TikTok has not released it yet.");
        if (!config.Currencies.TryGetValue(draft.Currency.ToUpperInvariant(), out var currency) || !currency.Active)
        {
            throw new StoreRejectedException($"The currency {draft.Currency} of the TikTok order is not active in PrestaShop (International > Localization > Currencies).");
        }

        var carrierId = storeOptions.IdCarrier ?? config.DefaultCarrierId;
        if (!config.Carriers.TryGetValue(carrierId, out var carrier) || !carrier.Active || carrier.Deleted)
        {
            throw new StoreRejectedException($"Carrier {carrierId} is not active in PrestaShop; PrestaShop would pick another one and charge its price. Set store.options.idCarrier.");
        }

        var (countryId, stateId, needsDni) = await checkout.ResolveCountryAsync(shop, address, cancellationToken);
        var langId = storeOptions.IdLang ?? config.DefaultLanguageId;

        // Lines of one product/combination share one cart row and one cart-scoped price.
        var rows = draft.Lines
            .GroupBy(l => ParseProductKey(l.ProductId))
            .Select(g => (Product: g.Key, Quantity: g.Sum(l => l.Quantity), Gross: g.Sum(l => l.UnitPrice * l.Quantity)))
            .ToList();

        var cart = await checkout.FindCartAsync(shop, draft.TikTokOrderId, cancellationToken);
        long cartId;
        long customerId;
        if (cart is not null)
        {
            cartId = PrestaShopXml.Long(cart["id"]);
            customerId = PrestaShopXml.Long(cart["id_customer"]);
            if (await checkout.FindOrderByCartAsync(shop, cartId, cancellationToken) is { } earlier)
            {
                return await SettleAsync(shop, draft.TikTokOrderId, earlier, cancellationToken);
            }

            PrestaShopLog.CartReused(logger, shop.ShopId, draft.TikTokOrderId, cartId);
        }
        else
        {
            var customer = await checkout.FindOrCreateCustomerAsync(shop, draft, address, config, langId, cancellationToken);
            customerId = PrestaShopXml.Long(customer["id"]);
            var addressId = await checkout.FindOrCreateAddressAsync(shop, draft, address, customerId, countryId, stateId, needsDni, storeOptions, cancellationToken);
            cartId = await checkout.CreateCartAsync(shop, draft.TikTokOrderId, customerId, PrestaShopXml.Str(customer["secure_key"]), addressId, currency.Id, langId, carrierId,
                rows.Select(r => (r.Product.ProductId, r.Product.AttributeId, addressId, r.Quantity)), cancellationToken);
        }

        // Pin each line's price on the cart so validateOrder's recomputed total is TikTok's (store-apis.md §1.3 step 4).
        var precision = currency.Precision > 0 ? currency.Precision : config.DisplayPrecision;
        var taxGroups = await checkout.TaxGroupsAsync(shop, rows.Select(r => r.Product.ProductId), cancellationToken);
        var pinned = new List<(long ProductId, long AttributeId, decimal Price, PrestaShopPricing.Line Line)>();
        foreach (var row in rows)
        {
            var rate = await checkout.TaxRateAsync(shop, config, taxGroups.GetValueOrDefault(row.Product.ProductId), countryId, stateId, cancellationToken);
            var unitGross = row.Gross / row.Quantity;
            var price = PrestaShopPricing.PinUnitPrice(unitGross, row.Quantity, rate, config.RoundType, config.RoundMode, precision);
            pinned.Add((row.Product.ProductId, row.Product.AttributeId, price, new PrestaShopPricing.Line(price, row.Quantity, rate)));
        }

        await checkout.PinPricesAsync(shop, cartId, pinned.Select(p => (p.ProductId, p.AttributeId, p.Price)).ToList(), cancellationToken);

        var productsTotal = PrestaShopPricing.Round(rows.Sum(r => r.Gross), precision, config.RoundMode);
        var productsExcl = PrestaShopPricing.Round(pinned.Sum(p => p.Price * p.Line.Quantity), precision, config.RoundMode);

        // A free carrier adds nothing in PrestaShop; otherwise its price must be TikTok's shipping fee, which the merchant
        // sets up (PrestaShop computes shipping from the carrier's ranges; the Webservice cannot pin it).
        var shipping = carrier.IsFree ? 0m : draft.ShippingPrice;
        var paid = productsTotal + shipping;
        var secureKey = await checkout.SecureKeyAsync(shop, customerId, cancellationToken);
        var cartNow = await ws.GetAsync(shop, $"carts/{cartId}", cancellationToken) as JsonObject;
        var cartRow = cartNow?["cart"] as JsonObject ?? throw new StoreUnavailableException($"PrestaShop cart {cartId} vanished while the order was created.");
        var orderXml = PrestaShopXml.Entity("order",
        [
            new("id_address_delivery", PrestaShopXml.Str(cartRow["id_address_delivery"])),
            new("id_address_invoice", PrestaShopXml.Str(cartRow["id_address_invoice"])),
            new("id_cart", PrestaShopXml.Format(cartId)),
            new("id_currency", PrestaShopXml.Format(currency.Id)),
            new("id_lang", PrestaShopXml.Format(langId)),
            new("id_customer", PrestaShopXml.Format(customerId)),
            new("id_carrier", PrestaShopXml.Format(carrierId)),
            new("module", storeOptions.PaymentModule),
            new("payment", PrestaShopText.Generic(storeOptions.PaymentLabel, 255)),
            new("secure_key", secureKey),
            new("total_paid", PrestaShopXml.Format(paid, 2)),
            new("total_paid_real", PrestaShopXml.Format(paid, 2)),
            new("total_products", PrestaShopXml.Format(productsExcl, 2)),
            new("total_products_wt", PrestaShopXml.Format(productsTotal, 2)),
            new("total_shipping", PrestaShopXml.Format(shipping, 2)),
            new("conversion_rate", "1"),
            new("valid", "0"),
        ]);

        var answer = await ws.SendRawAsync(shop, HttpMethod.Post, "orders", orderXml, AuthInQuery(shop), cancellationToken);
        if (answer.Status is >= 200 and < 300 && !answer.IsJson)
        {
            // validateOrder's die(): HTTP 200 with a text body (store-apis.md §1.4).
            if (answer.Body.Contains("already been placed", StringComparison.OrdinalIgnoreCase)
                && await checkout.FindOrderByCartAsync(shop, cartId, cancellationToken) is { } winner)
            {
                // Another attempt won the race on this cart; PrestaShop kept one order: adopt it.
                return await SettleAsync(shop, draft.TikTokOrderId, winner, cancellationToken);
            }

            throw new StoreRejectedException($"PrestaShop refused the order: \"{Plain(answer.Body)}\" (payment module '{storeOptions.PaymentModule}').");
        }

        if (answer.Status == 500)
        {
            throw new StoreRejectedException(answer.Body.Length == 0
                ? $"PrestaShop failed to create the order with an empty HTTP 500; this usually means the payment module '{storeOptions.PaymentModule}' is not installed."
                : $"PrestaShop could not create the order: \"{Plain(answer.Body)}\".");
        }

        var created = ws.ParseOrThrow(shop, answer, "POST", "orders") as JsonObject;
        var order = created?["order"] as JsonObject ?? throw new StoreRejectedException("PrestaShop answered POST orders without the order.");
        PrestaShopLog.OrderCreated(logger, shop.ShopId, draft.TikTokOrderId, PrestaShopXml.Long(order["id"]), cartId, paid);
        return await SettleAsync(shop, draft.TikTokOrderId, order, cancellationToken);
    }

    public async Task CancelOrderAsync(StoreAccess shop, string storeOrderId, string reason, bool byBuyer, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(shop, cancellationToken);
        var (id, state) = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        var canceled = config.State(Canceled);
        if (state != canceled)
        {
            await ChangeStateAsync(shop, id, Canceled, canceled, cancellationToken);
        }
    }

    /// <remarks>PrestaShop's "Shipped" state covers the whole order, so a partial shipment waits for the rest.</remarks>
    public async Task FulfillAsync(StoreAccess shop, string storeOrderId, string? trackingNumber, string? carrier, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? shippedUnits = null)
    {
        if (shippedUnits is not null)
        {
            return;
        }

        var config = await configs.GetAsync(shop, cancellationToken);
        var (id, state) = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        if (PrestaShopText.Tracking(trackingNumber) is { } tracking)
        {
            await SetTrackingAsync(shop, id, tracking, cancellationToken);
        }

        var shipped = config.State(Shipping);
        if (!IsOneOf(config, state, Shipping, Delivered, Canceled, Refund))
        {
            await ChangeStateAsync(shop, id, Shipping, shipped, cancellationToken);
        }
    }

    /// <summary>
    /// PrestaShop ties an order to an address row that its back office copies rather than edits once an order uses
    /// it; changing it through the Webservice would silently rewrite the customer's address book. So the merchant is told,
    /// with the new address, and changes the delivery address of that order in the back office.
    /// </summary>
    public Task UpdateShippingAddressAsync(StoreAccess shop, string storeOrderId, StoreAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        throw new StoreRejectedException(
            $"The buyer changed the delivery address on TikTok; change it on PrestaShop order {storeOrderId} in the back office: "
            + string.Join(", ", new[] { $"{address.FirstName} {address.LastName}".Trim(), address.Address1, address.Address2, address.Zip, address.City, address.Province, address.CountryCode }
                .Where(p => !string.IsNullOrWhiteSpace(p))) + ".");
    }

    public async Task CompleteAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(shop, cancellationToken);
        var (id, state) = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        if (!IsOneOf(config, state, Delivered, Canceled, Refund))
        {
            await ChangeStateAsync(shop, id, Delivered, config.State(Delivered), cancellationToken);
        }
    }


    /// <summary>Payment error → rejected with both amounts; otherwise the order is moved to the mapped state once.</summary>
    private async Task<StoreOrderRef> SettleAsync(StoreAccess shop, string tiktokOrderId, JsonObject order, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(shop, cancellationToken);
        var storeOptions = PrestaShopStoreOptions.Parse(shop.OptionsJson);
        var id = PrestaShopXml.Long(order["id"]);
        var reference = PrestaShopXml.Str(order["reference"]);
        var state = (int)PrestaShopXml.Long(order["current_state"]);
        if (state == config.State(PaymentError))
        {
            var shopTotal = PrestaShopXml.Dec(order["total_paid"]);
            var paid = PrestaShopXml.Dec(order["total_paid_real"]);
            PrestaShopLog.PaymentError(logger, shop.ShopId, tiktokOrderId, id, shopTotal, paid);
            throw new StoreRejectedException(
                $"PrestaShop put order {reference} (id {id}) in \"Payment error\": PrestaShop computed {Money(shopTotal)} for the cart but TikTok paid {Money(paid)}. "
                + "The shop's prices, tax rules or carrier price differ from what Connector pinned. Fix the order in PrestaShop (set the right state), "
                + "then retry: Connector adopts that order and never creates a second one.");
        }

        var wsPayment = config.State(WsPayment);
        var target = config.State(storeOptions.OrderStateOnImport);
        if (state == wsPayment && target != wsPayment)
        {
            await ChangeStateAsync(shop, id, storeOptions.OrderStateOnImport, target, cancellationToken);
        }

        var adminUrl = storeOptions.AdminUrl is { } admin
            ? $"{admin.TrimEnd('/')}/index.php?controller=AdminOrders&id_order={id}&vieworder=1"
            : null;
        return new StoreOrderRef(id.ToString(CultureInfo.InvariantCulture), reference.Length > 0 ? reference : null, adminUrl);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private async Task ChangeStateAsync(StoreAccess shop, long orderId, string key, int stateId, CancellationToken cancellationToken)
    {
        // No ?sendemail=1: TikTok buyers get TikTok's messages, not the shop's (and the address is a placeholder).
        var xml = PrestaShopXml.Entity("order_history",
        [
            new("id_order", PrestaShopXml.Format(orderId)),
            new("id_order_state", PrestaShopXml.Format(stateId)),
        ]);
        await ws.WriteAsync(shop, HttpMethod.Post, "order_histories", "order_histories", xml, cancellationToken);
        PrestaShopLog.StateChanged(logger, shop.ShopId, orderId, key, stateId);
    }

    private async Task<(long Id, int State)> OrderStateAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(storeOrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new StoreRejectedException($"'{storeOrderId}' is not a PrestaShop order id.");
        }

        var body = await ws.GetAsync(shop, $"orders/{id}?{Q(("display", "[id,current_state]"))}", cancellationToken);
        var order = body?["order"] ?? throw new StoreRejectedException($"PrestaShop order {id} no longer exists.");
        return (id, (int)PrestaShopXml.Long(order["current_state"]));
    }

    private async Task SetTrackingAsync(StoreAccess shop, long orderId, string tracking, CancellationToken cancellationToken)
    {
        var body = await ws.GetAsync(shop, $"order_carriers?{Q(("filter[id_order]", $"[{orderId}]"), ("display", "full"))}", cancellationToken);
        var row = PrestaShopXml.First(PrestaShopXml.List(body, "order_carriers"));
        if (row is null || PrestaShopXml.Str(row["tracking_number"]) == tracking)
        {
            return;
        }

        // A full PUT (1.7 has no PATCH) of the writable fields, with the tracking number.
        var id = PrestaShopXml.Long(row["id"]);
        var xml = PrestaShopXml.Entity("order_carrier",
        [
            new("id", PrestaShopXml.Format(id)),
            new("id_order", PrestaShopXml.Str(row["id_order"])),
            new("id_carrier", PrestaShopXml.Str(row["id_carrier"])),
            new("id_order_invoice", PrestaShopXml.Str(row["id_order_invoice"])),
            new("weight", PrestaShopXml.Str(row["weight"])),
            new("shipping_cost_tax_excl", PrestaShopXml.Str(row["shipping_cost_tax_excl"])),
            new("shipping_cost_tax_incl", PrestaShopXml.Str(row["shipping_cost_tax_incl"])),
            new("tracking_number", tracking),
        ]);
        await ws.WriteAsync(shop, HttpMethod.Put, "order_carriers", $"order_carriers/{id}", xml, cancellationToken);
        PrestaShopLog.TrackingSet(logger, shop.ShopId, orderId);
    }
}
