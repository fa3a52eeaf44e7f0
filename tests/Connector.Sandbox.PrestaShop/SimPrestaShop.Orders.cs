using System.Globalization;
using System.Security.Cryptography;
using Connector.Sandbox.PrestaShop.Webservice;

namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// POST /api/orders = Order::addWs → PaymentModule::validateOrder (store-apis.md §1.4), the cart total as
/// Cart::getOrderTotal computes it (§1.3 step 4, §1.5 rounding), and OrderHistory::changeIdOrderState (§1.6, §1.7).
/// </summary>
public sealed partial class SimPrestaShop
{
    private const string DieContentType = "text/html; charset=utf-8";
    private long _nextOrderDetailId = 1;

    /// <summary>What the shop would charge for a cart right now (the total validateOrder compares with total_paid).</summary>
    public decimal CartTotal(long cartId)
    {
        lock (_gate)
        {
            var cart = Table("carts").Find(cartId) ?? throw new KeyNotFoundException($"No cart {cartId}.");
            var address = Table("addresses").Find(cart.Long("id_address_delivery"));
            return ComputeCart(cart, address, ResolveCarrier(cart)).Total;
        }
    }

    private sealed record CartLine(long ProductId, long AttributeId, int Quantity, string Reference, string Name, decimal UnitExcl, decimal UnitIncl, decimal TotalExcl, decimal TotalIncl);

    private sealed record CartTotals(IReadOnlyList<CartLine> Lines, decimal ProductsExcl, decimal ProductsIncl, decimal ShippingExcl, decimal ShippingIncl, decimal CarrierTaxRate, decimal Total);

    private WsOutcome ValidateOrderLocked(WsRow posted)
    {
        // §1.4 "an invalid name makes getInstanceByName return false → fatal, empty 500" (PrestaShop#13787).
        if (!_modules.TryGetValue(posted["module"], out var module))
        {
            return new WsRawOutcome(500, string.Empty, string.Empty);
        }

        var wsPaymentState = Table("order_states").Find(ConfigInt("PS_OS_WS_PAYMENT"));
        if (wsPaymentState is null)
        {
            // PrestaShopException('Can\'t load Order status') [I: rendered as PHP's 500 error page text].
            return new WsRawOutcome(500, DieContentType, "Can't load Order status");
        }

        // §1.4 "if (!$this->active) { … die(Tools::displayError()); }" [I: die() prints the text with PHP's default 200].
        if (!module.Active)
        {
            return new WsRawOutcome(200, DieContentType, "Fatal error");
        }

        var cart = Table("carts").Find(posted.Long("id_cart"));
        if (cart is null || Table("orders").Rows.Values.Any(o => o.Long("id_cart") == cart.Id))
        {
            // §1.4 one order per cart; §1.5 the exact message [I: die() → HTTP 200, text body].
            return new WsRawOutcome(200, DieContentType, "Cart cannot be loaded or an order has already been placed using this cart");
        }

        // Cart::__construct gives a cart without a secure_key its customer's key; validateOrder compares it with the
        // order customer's key (§1.4 "The secure key must match the cart").
        var cartCustomer = Table("customers").Find(cart.Long("id_customer"));
        if ((string.IsNullOrEmpty(cart["secure_key"]) || cart["secure_key"] == "-1") && cartCustomer is not null)
        {
            cart["secure_key"] = cartCustomer["secure_key"];
        }

        var customer = Table("customers").Find(posted.Long("id_customer"));
        if (customer is null || customer["secure_key"] != cart["secure_key"])
        {
            return new WsRawOutcome(200, DieContentType, "Fatal error");
        }

        var address = Table("addresses").Find(cart.Long("id_address_delivery"));
        var cartRows = cart.Associations.GetValueOrDefault("cart_rows", []);
        if (address is null || cartRows.Count == 0)
        {
            return new WsRawOutcome(200, DieContentType, "Fatal error");
        }

        if (Table("countries").Find(address.Long("id_country")) is not { } country || !country.Bool("active"))
        {
            // §1.2 step 2: core throws "The delivery address country is not active." [I: as a 500 error page].
            return new WsRawOutcome(500, DieContentType, "The delivery address country is not active.");
        }

        foreach (var item in cartRows)
        {
            if (Table("products").Find(ParseLong(item.GetValueOrDefault("id_product"))) is null)
            {
                return new WsRawOutcome(500, DieContentType, "Fatal error");
            }
        }

        // "If some delivery options are not defined, or not valid, use the first valid option" (§1.4 carrier re-resolution).
        var carrier = ResolveCarrier(cart);
        var totals = ComputeCart(cart, address, carrier);
        var precision = Options.Decimals;
        var amountPaid = posted.Dec("total_paid");

        // §1.4: the initial state is PS_OS_WS_PAYMENT whatever current_state says; a logable state with
        // number_format(cart total) ≠ number_format(amount paid) becomes PS_OS_ERROR.
        var stateId = (int)wsPaymentState.Id;
        if (wsPaymentState.Bool("logable") && Round(totals.Total, precision, 2) != Round(amountPaid, precision, 2))
        {
            stateId = ConfigInt("PS_OS_ERROR");
        }

        var now = Now();
        var currency = Table("currencies").Find(cart.Long("id_currency"));
        var order = Table("orders").NewRow();
        order["id_address_delivery"] = cart["id_address_delivery"];
        order["id_address_invoice"] = cart["id_address_invoice"];
        order["id_cart"] = WsRow.Format(cart.Id);
        order["id_currency"] = cart["id_currency"];
        order["id_lang"] = cart.Long("id_lang") == 0 ? "1" : cart["id_lang"];
        order["id_customer"] = WsRow.Format(customer.Id);
        order["id_carrier"] = WsRow.Format(carrier?.Id ?? 0);
        order["module"] = module.Name;
        order["payment"] = posted["payment"];
        order["recyclable"] = cart["recyclable"];
        order["gift"] = cart["gift"];
        order["gift_message"] = cart["gift_message"];
        order["id_shop"] = "1";
        order["id_shop_group"] = "1";
        order["secure_key"] = customer["secure_key"];
        order["reference"] = NewOrderReference();
        order["total_products"] = WsRow.Format(totals.ProductsExcl);
        order["total_products_wt"] = WsRow.Format(totals.ProductsIncl);
        order["total_shipping"] = WsRow.Format(totals.ShippingIncl);
        order["total_shipping_tax_incl"] = WsRow.Format(totals.ShippingIncl);
        order["total_shipping_tax_excl"] = WsRow.Format(totals.ShippingExcl);
        order["carrier_tax_rate"] = WsRow.Format(totals.CarrierTaxRate);
        order["total_paid"] = WsRow.Format(totals.Total);
        order["total_paid_tax_incl"] = WsRow.Format(totals.Total);
        order["total_paid_tax_excl"] = WsRow.Format(Round(totals.ProductsExcl + totals.ShippingExcl, precision, Options.PriceRoundMode));
        order["total_paid_real"] = WsRow.Format(0m);
        order["conversion_rate"] = WsRow.Format(currency?.Dec("conversion_rate") ?? 1m);
        order["round_mode"] = WsRow.Format(ConfigInt("PS_PRICE_ROUND_MODE"));
        order["round_type"] = WsRow.Format(ConfigInt("PS_ROUND_TYPE"));
        order["current_state"] = "0";
        order["date_add"] = now;
        order["date_upd"] = now;
        order.Associations["order_rows"] = [.. totals.Lines.Select(l => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = WsRow.Format(_nextOrderDetailId++),
            ["product_id"] = WsRow.Format(l.ProductId),
            ["product_attribute_id"] = WsRow.Format(l.AttributeId),
            ["product_quantity"] = WsRow.Format(l.Quantity),
            ["product_name"] = l.Name,
            ["product_reference"] = l.Reference,
            ["product_ean13"] = string.Empty,
            ["product_upc"] = string.Empty,
            ["product_price"] = WsRow.Format(l.UnitExcl),
            ["unit_price_tax_incl"] = WsRow.Format(l.UnitIncl),
            ["unit_price_tax_excl"] = WsRow.Format(l.UnitExcl),
        })];
        Table("orders").Insert(order);

        // OrderDetail::checkProductStock: no decrement when the order is born in Payment error / Canceled (§1.4).
        var backorder = false;
        var decrement = stateId != ConfigInt("PS_OS_ERROR") && stateId != ConfigInt("PS_OS_CANCELED");
        foreach (var line in totals.Lines)
        {
            var stock = StockRow(line.ProductId, line.AttributeId);
            if (stock is not null && stock.Long("quantity") < line.Quantity)
            {
                backorder = true;
            }

            if (decrement)
            {
                UpdateStock(line.ProductId, line.AttributeId, -line.Quantity);
            }
        }

        var carrierRow = Table("order_carriers").NewRow();
        carrierRow["id_order"] = WsRow.Format(order.Id);
        carrierRow["id_carrier"] = order["id_carrier"];
        carrierRow["shipping_cost_tax_excl"] = WsRow.Format(totals.ShippingExcl);
        carrierRow["shipping_cost_tax_incl"] = WsRow.Format(totals.ShippingIncl);
        carrierRow["date_add"] = now;
        Table("order_carriers").Insert(carrierRow);

        ChangeStateLocked(order, stateId, sendEmail: true, applyStock: false);

        // "Register Payment only if the order status validate the order": the test uses the *initial* state object
        // (PS_OS_WS_PAYMENT, logable), so the posted amount is recorded even when the state became Payment error —
        // which is how the back office can show "X paid instead of Y" (§1.5).
        if (wsPaymentState.Bool("logable"))
        {
            var payment = Table("order_payments").NewRow();
            payment["order_reference"] = order["reference"];
            payment["id_currency"] = order["id_currency"];
            payment["amount"] = WsRow.Format(amountPaid);
            payment["payment_method"] = order["payment"];
            payment["conversion_rate"] = order["conversion_rate"];
            payment["date_add"] = now;
            Table("order_payments").Insert(payment);
            order["total_paid_real"] = WsRow.Format(amountPaid);
        }

        // Order::add() ends with SpecificPrice::deleteByIdCart($this->id_cart) (§1.3 step 4).
        RemoveWhere("specific_prices", sp => sp.Long("id_cart") == cart.Id);

        if (stateId != ConfigInt("PS_OS_ERROR") && stateId != ConfigInt("PS_OS_CANCELED") && customer["email"].Length > 0)
        {
            _emails.Add(new PsEmail(customer["email"], "order_conf", order.Id));
        }

        // "Switch to back order if needed" (PaymentModule::validateOrder): stock short at order time.
        if (backorder)
        {
            var paid = Table("order_states").Find(order.Long("current_state"))?.Bool("paid") == true;
            var target = ConfigInt(paid ? "PS_OS_OUTOFSTOCK_PAID" : "PS_OS_OUTOFSTOCK_UNPAID");
            if (target != 0)
            {
                ChangeStateLocked(order, target, sendEmail: true, applyStock: true);
            }
        }

        return new WsRowsOutcome(201, WsResources.All["orders"], [ReadRow(WsResources.All["orders"], order.Id)], Details: true);
    }

    /// <summary>OrderHistory::addWs: changeIdOrderState, then addWithemail when <c>?sendemail=1</c> (§1.6).</summary>
    private WsOutcome AddOrderHistoryLocked(WsRow posted, bool sendEmail)
    {
        var order = Table("orders").Find(posted.Long("id_order"));
        if (order is null)
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"Property OrderHistory->id_order is not valid\"");
        }

        if (Table("order_states").Find(posted.Long("id_order_state")) is null)
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"Property OrderHistory->id_order_state is not valid\"");
        }

        var history = ChangeStateLocked(order, posted.Int("id_order_state"), sendEmail, applyStock: true, posted.Long("id_employee"));
        var resource = WsResources.All["order_histories"];
        return new WsRowsOutcome(201, resource, [ReadRow(resource, history.Id)], Details: true);
    }

    /// <summary>
    /// OrderHistory::changeIdOrderState + add/addWithemail. Stock (with error_or_canceled = [PS_OS_ERROR, PS_OS_CANCELED]):
    /// becoming logable from an error/canceled state takes stock; leaving a logable state for error/canceled gives it
    /// back; a non-logable state moving to error/canceled from a state outside that pair gives it back too.
    /// </summary>
    private WsRow ChangeStateLocked(WsRow order, int newStateId, bool sendEmail, bool applyStock, long employeeId = 0)
    {
        var states = Table("order_states");
        var newState = states.Find(newStateId)!;
        var oldState = states.Find(order.Long("current_state"));
        if (applyStock && oldState is not null)
        {
            int[] errorOrCanceled = [ConfigInt("PS_OS_ERROR"), ConfigInt("PS_OS_CANCELED")];
            var delta = 0;
            if (newState.Bool("logable") && !oldState.Bool("logable") && errorOrCanceled.Contains((int)oldState.Id))
            {
                delta = -1;
            }
            else if (!newState.Bool("logable") && oldState.Bool("logable") && errorOrCanceled.Contains(newStateId))
            {
                delta = 1;
            }
            else if (!newState.Bool("logable") && !oldState.Bool("logable") && errorOrCanceled.Contains(newStateId) && !errorOrCanceled.Contains((int)oldState.Id))
            {
                delta = 1;
            }

            if (delta != 0)
            {
                foreach (var item in order.Associations.GetValueOrDefault("order_rows", []))
                {
                    UpdateStock(ParseLong(item["product_id"]), ParseLong(item["product_attribute_id"]), delta * (int)ParseLong(item["product_quantity"]));
                }
            }
        }

        order["current_state"] = WsRow.Format(newStateId);
        order["valid"] = WsRow.Format(newState.Bool("logable"));
        order["date_upd"] = Now();

        var history = Table("order_histories").NewRow();
        history["id_order"] = WsRow.Format(order.Id);
        history["id_order_state"] = WsRow.Format(newStateId);
        history["id_employee"] = WsRow.Format(employeeId);
        history["date_add"] = Now();
        Table("order_histories").Insert(history);

        if (sendEmail && newState.Bool("send_email"))
        {
            var customer = Table("customers").Find(order.Long("id_customer"));
            if (customer is not null && customer["email"].Length > 0)
            {
                _emails.Add(new PsEmail(customer["email"], newState["template"], order.Id));
                _emailedHistories.Add(history.Id);
            }
        }

        return history;
    }

    /// <summary>StockAvailable::updateQuantity: the combination row and the product's total row move together.</summary>
    private void UpdateStock(long productId, long attributeId, int delta)
    {
        if (StockRow(productId, attributeId) is { } row)
        {
            row["quantity"] = WsRow.Format(row.Long("quantity") + delta);
        }

        if (attributeId != 0 && StockRow(productId, 0) is { } total)
        {
            total["quantity"] = WsRow.Format(total.Long("quantity") + delta);
        }
    }

    private WsRow? ResolveCarrier(WsRow cart)
    {
        var carriers = Table("carriers");
        var chosen = carriers.Find(cart.Long("id_carrier"));
        return chosen is not null && chosen.Bool("active") && !chosen.Bool("deleted")
            ? chosen
            : carriers.Rows.Values.FirstOrDefault(c => c.Bool("active") && !c.Bool("deleted"));
    }

    /// <summary>
    /// Cart::getOrderTotal(true, Cart::BOTH): per line the unit price tax excluded (the best specific price — a
    /// cart-scoped one wins — else the catalog price plus the combination impact), its tax from the line's tax rules
    /// group for the delivery country/state, rounded per PS_ROUND_TYPE with PS_PRICE_ROUND_MODE; plus the carrier.
    /// </summary>
    private CartTotals ComputeCart(WsRow cart, WsRow? address, WsRow? carrier)
    {
        var precision = Options.Decimals;
        var mode = ConfigInt("PS_PRICE_ROUND_MODE");
        var roundType = ConfigInt("PS_ROUND_TYPE");
        var countryId = address?.Long("id_country") ?? ConfigInt("PS_COUNTRY_DEFAULT");
        var stateId = address?.Long("id_state") ?? 0;
        var customer = Table("customers").Find(cart.Long("id_customer"));
        var groupId = customer?.Long("id_default_group") ?? ConfigInt("PS_UNIDENTIFIED_GROUP");
        var lines = new List<CartLine>();
        foreach (var item in cart.Associations.GetValueOrDefault("cart_rows", []))
        {
            var productId = ParseLong(item.GetValueOrDefault("id_product"));
            var attributeId = ParseLong(item.GetValueOrDefault("id_product_attribute"));
            var quantity = (int)ParseLong(item.GetValueOrDefault("quantity"));
            var product = Table("products").Find(productId);
            if (product is null || quantity <= 0)
            {
                continue;
            }

            var combination = attributeId == 0 ? null : Table("combinations").Find(attributeId);
            var rate = TaxRate(product.Long("id_tax_rules_group"), countryId, stateId);
            var sp = FindSpecificPrice(productId, attributeId, cart.Id, quantity, cart.Long("id_currency"), countryId, groupId, customer?.Id ?? 0);

            // Product::priceCalculation: a specific price ≥ 0 replaces the catalog price; the combination impact is
            // still added unless the specific price names the combination.
            var excl = sp is null || sp.Dec("price") < 0 ? product.Dec("price") : sp.Dec("price");
            if (combination is not null && (sp is null || sp.Long("id_product_attribute") == 0 || sp.Dec("price") < 0))
            {
                excl += combination.Dec("price");
            }

            var factor = 1m + (rate / 100m);
            var incl = excl * factor;
            if (sp is not null && sp.Dec("reduction") > 0)
            {
                if (sp["reduction_type"] == "amount")
                {
                    var amount = sp.Dec("reduction");
                    incl -= sp.Bool("reduction_tax") ? amount : amount * factor;
                    excl -= sp.Bool("reduction_tax") ? amount / factor : amount;
                }
                else
                {
                    incl -= incl * sp.Dec("reduction");
                    excl -= excl * sp.Dec("reduction");
                }
            }

            excl = Math.Max(0m, Math.Round(excl, 6, MidpointRounding.AwayFromZero));
            incl = Math.Max(0m, Math.Round(incl, 6, MidpointRounding.AwayFromZero));
            decimal totalExcl;
            decimal totalIncl;
            switch (roundType)
            {
                case 3: // ROUND_TOTAL: no rounding per line
                    totalExcl = excl * quantity;
                    totalIncl = incl * quantity;
                    break;
                case 2: // ROUND_LINE
                    totalExcl = Round(excl * quantity, precision, mode);
                    totalIncl = Round(incl * quantity, precision, mode);
                    break;
                default: // ROUND_ITEM
                    excl = Round(excl, precision, mode);
                    incl = Round(incl, precision, mode);
                    totalExcl = excl * quantity;
                    totalIncl = incl * quantity;
                    break;
            }

            var reference = combination is not null && combination["reference"].Length > 0 ? combination["reference"] : product["reference"];
            lines.Add(new CartLine(productId, attributeId, quantity, reference, product["name"], excl, incl, totalExcl, totalIncl));
        }

        var productsExcl = Round(lines.Sum(l => l.TotalExcl), precision, mode);
        var productsIncl = Round(lines.Sum(l => l.TotalIncl), precision, mode);
        var shippingExcl = 0m;
        var shippingIncl = 0m;
        var carrierRate = 0m;
        if (carrier is not null)
        {
            var options = Options.Carriers.FirstOrDefault(c => c.Id == carrier.Id);
            shippingExcl = options?.ShippingPriceTaxExcl ?? 0m;
            carrierRate = TaxRate(carrier.Long("id_tax_rules_group"), countryId, stateId);
            shippingIncl = Round(shippingExcl * (1m + (carrierRate / 100m)), precision, mode);
            shippingExcl = Round(shippingExcl, precision, mode);
        }

        var total = Round(productsIncl + shippingIncl, precision, mode);
        return new CartTotals(lines, productsExcl, productsIncl, shippingExcl, shippingIncl, carrierRate, total);
    }

    private decimal TaxRate(long taxRulesGroupId, long countryId, long stateId)
    {
        if (taxRulesGroupId == 0)
        {
            return 0m;
        }

        var rule = Table("tax_rules").Rows.Values
            .Where(r => r.Long("id_tax_rules_group") == taxRulesGroupId && r.Long("id_country") == countryId && (r.Long("id_state") == 0 || r.Long("id_state") == stateId))
            .OrderByDescending(r => r.Long("id_state"))
            .FirstOrDefault();
        return rule is null ? 0m : Table("taxes").Find(rule.Long("id_tax"))?.Dec("rate") ?? 0m;
    }

    /// <summary>
    /// SpecificPrice::getSpecificPrice: rows matching (0 or the value) on product, combination, cart, shop, currency,
    /// country, group, customer, with from_quantity ≤ quantity and inside from/to; ORDER BY id_product_attribute DESC,
    /// id_cart DESC, from_quantity DESC, score DESC.
    /// </summary>
    private WsRow? FindSpecificPrice(long productId, long attributeId, long cartId, int quantity, long currencyId, long countryId, long groupId, long customerId)
    {
        // from/to are shop-local times, compared with the shop's clock (PS_TIMEZONE).
        var now = LocalNow();
        static bool Match(long value, long wanted) => value == 0 || value == wanted;
        bool InWindow(WsRow sp)
        {
            static DateTime? Parse(string value) =>
                DateTime.TryParseExact(value, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            var from = Parse(sp["from"]);
            var to = Parse(sp["to"]);
            return (from is null || from <= now) && (to is null || now <= to);
        }

        return Table("specific_prices").Rows.Values
            .Where(sp => Match(sp.Long("id_product"), productId) && Match(sp.Long("id_product_attribute"), attributeId) && Match(sp.Long("id_cart"), cartId)
                && Match(sp.Long("id_shop"), 1) && Match(sp.Long("id_currency"), currencyId) && Match(sp.Long("id_country"), countryId)
                && Match(sp.Long("id_group"), groupId) && Match(sp.Long("id_customer"), customerId)
                && sp.Long("from_quantity") <= quantity && InWindow(sp))
            .OrderByDescending(sp => sp.Long("id_product_attribute"))
            .ThenByDescending(sp => sp.Long("id_cart"))
            .ThenByDescending(sp => sp.Long("from_quantity"))
            .ThenByDescending(sp => (sp.Long("id_customer") != 0 ? 32 : 0) + (sp.Long("id_group") != 0 ? 16 : 0) + (sp.Long("id_country") != 0 ? 8 : 0)
                + (sp.Long("id_currency") != 0 ? 4 : 0) + (sp.Long("id_shop") != 0 ? 2 : 0))
            .FirstOrDefault();
    }

    /// <summary>Tools::ps_round with PS_PRICE_ROUND_MODE: 0 up, 1 down, 2 half up, 3 half down, 4 half even, 5 half odd.</summary>
    internal static decimal Round(decimal value, int precision, int mode)
    {
        var scale = Pow10(precision);
        return mode switch
        {
            0 => Math.Ceiling(value * scale) / scale,
            1 => Math.Floor(value * scale) / scale,
            3 => HalfDown(value, precision),
            4 => Math.Round(value, precision, MidpointRounding.ToEven),
            5 => HalfOdd(value, precision),
            _ => Math.Round(value, precision, MidpointRounding.AwayFromZero),
        };
    }

    private static decimal Pow10(int precision)
    {
        var scale = 1m;
        for (var i = 0; i < precision; i++)
        {
            scale *= 10m;
        }

        return scale;
    }

    private static decimal HalfDown(decimal value, int precision)
    {
        var scale = Pow10(precision);
        var scaled = value * scale;
        var floor = Math.Floor(scaled);
        return (scaled - floor > 0.5m ? floor + 1 : floor) / scale;
    }

    private static decimal HalfOdd(decimal value, int precision)
    {
        var scale = Pow10(precision);
        var scaled = value * scale;
        var floor = Math.Floor(scaled);
        var fraction = scaled - floor;
        if (fraction != 0.5m)
        {
            return Math.Round(value, precision, MidpointRounding.AwayFromZero);
        }

        return (floor % 2 == 0 ? floor + 1 : floor) / scale;
    }

    /// <summary>Order::generateReference: nine random upper-case letters.</summary>
    private static string NewOrderReference() =>
        string.Create(9, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('A' + RandomNumberGenerator.GetInt32(26));
            }
        });
}
