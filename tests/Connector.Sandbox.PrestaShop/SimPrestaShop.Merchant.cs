using Connector.Sandbox.PrestaShop.Webservice;

namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// What people do in the shop outside the Webservice: the merchant in the back office (order status, shipping details)
/// and a shopper checking out in the front office. They run the same core paths as the Webservice does: OrderHistory for
/// a state change, validateOrder for an order.
/// </summary>
public sealed partial class SimPrestaShop
{
    /// <summary>Back office "Update status" to the state a PS_OS_* key points at (see <see cref="SetOrderState(long, int)"/>).</summary>
    public void SetOrderState(long orderId, string configKey)
    {
        ArgumentNullException.ThrowIfNull(configKey);
        lock (_gate)
        {
            var stateId = ConfigInt(configKey);
            if (stateId == 0)
            {
                throw new KeyNotFoundException($"The configuration key {configKey} points at no order state.");
            }

            SetOrderStateLocked(orderId, stateId);
        }
    }

    /// <summary>
    /// Back office "Update status": OrderHistory::changeIdOrderState then addWithemail, by employee 1. The state's mail
    /// goes out and the stock rules apply, as with <c>POST order_histories?sendemail=1</c>; the order's date_upd moves.
    /// </summary>
    public void SetOrderState(long orderId, int stateId)
    {
        lock (_gate)
        {
            SetOrderStateLocked(orderId, stateId);
        }
    }

    /// <summary>
    /// Back office "Edit shipping details" (UpdateOrderShippingDetailsHandler): a new carrier goes on the order and its
    /// order carrier; then orders.shipping_number is set and the order saved (so date_upd moves); then the order
    /// carrier's tracking_number. A new non-empty number sends the in_transit mail.
    /// </summary>
    public void SetShippingDetails(long orderId, string trackingNumber, long? carrierId = null)
    {
        ArgumentNullException.ThrowIfNull(trackingNumber);
        if (trackingNumber.Length > 0 && !WsValidate.IsValid("isTrackingNumber", trackingNumber))
        {
            throw new ArgumentException("The tracking number is incorrect.", nameof(trackingNumber));
        }

        lock (_gate)
        {
            var order = Table("orders").Find(orderId) ?? throw new KeyNotFoundException($"No order {orderId}.");
            var orderCarrier = Table("order_carriers").Rows.Values.Where(c => c.Long("id_order") == orderId).MaxBy(c => c.Id)
                ?? throw new InvalidOperationException($"Order {orderId} has no order carrier.");
            if (carrierId is { } newCarrier && newCarrier != orderCarrier.Long("id_carrier"))
            {
                _ = Table("carriers").Find(newCarrier) ?? throw new KeyNotFoundException($"No carrier {newCarrier}.");
                order["id_carrier"] = WsRow.Format(newCarrier);
                orderCarrier["id_carrier"] = WsRow.Format(newCarrier);
            }

            var oldNumber = order["shipping_number"];
            order["shipping_number"] = trackingNumber;
            order["date_upd"] = Now();
            orderCarrier["tracking_number"] = trackingNumber;
            if (trackingNumber.Length > 0 && trackingNumber != oldNumber
                && Table("customers").Find(order.Long("id_customer")) is { } customer && customer["email"].Length > 0)
            {
                _emails.Add(new PsEmail(customer["email"], "in_transit", orderId));
            }
        }
    }

    /// <summary>The merchant ships the whole order: shipping details with the tracking number, then "Shipped" (PS_OS_SHIPPING).</summary>
    public void ShipOrder(long orderId, string trackingNumber, long? carrierId = null)
    {
        SetShippingDetails(orderId, trackingNumber, carrierId);
        SetOrderState(orderId, "PS_OS_SHIPPING");
    }

    /// <summary>The merchant cancels the order in the back office (PS_OS_CANCELED; the stock comes back).</summary>
    public void CancelOrder(long orderId) => SetOrderState(orderId, "PS_OS_CANCELED");

    /// <summary>
    /// A shopper's checkout in the front office: a customer, an address in PS_COUNTRY_DEFAULT, a cart with the lines
    /// (product or combination references) and no gift message, then validateOrder with the first active payment module
    /// and the cart's own total. Returns the order id.
    /// </summary>
    public long PlaceStorefrontOrder(string email, params (string Reference, int Quantity)[] lines)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(lines);
        lock (_gate)
        {
            var now = Now();
            var customer = Table("customers").NewRow();
            customer["firstname"] = "Jane";
            customer["lastname"] = "Shopper";
            customer["email"] = email;
            customer["passwd"] = RandomMd5();
            customer["active"] = "1";
            customer["date_add"] = now;
            customer["date_upd"] = now;
            PrepareCustomer(customer, null);
            Table("customers").Insert(customer);

            var countryId = ConfigInt("PS_COUNTRY_DEFAULT");
            var country = Table("countries").Find(countryId) ?? throw new InvalidOperationException($"PS_COUNTRY_DEFAULT {countryId} is no country.");
            var address = Table("addresses").NewRow();
            address["id_customer"] = WsRow.Format(customer.Id);
            address["id_country"] = WsRow.Format(countryId);
            address["id_state"] = WsRow.Format(country.Bool("contains_states")
                ? Table("states").Rows.Values.First(s => s.Long("id_country") == countryId).Id
                : 0);
            address["alias"] = "My address";
            address["firstname"] = "Jane";
            address["lastname"] = "Shopper";
            address["address1"] = "1 Shop Street";
            address["postcode"] = "75002";
            address["city"] = "Paris";
            address["dni"] = country.Bool("need_identification_number") ? "12345678Z" : string.Empty;
            address["date_add"] = now;
            address["date_upd"] = now;
            Table("addresses").Insert(address);

            var cart = Table("carts").NewRow();
            cart["id_customer"] = WsRow.Format(customer.Id);
            cart["id_address_delivery"] = WsRow.Format(address.Id);
            cart["id_address_invoice"] = WsRow.Format(address.Id);
            cart["id_currency"] = WsRow.Format(ConfigInt("PS_CURRENCY_DEFAULT"));
            cart["id_lang"] = "1";
            cart["id_carrier"] = WsRow.Format(ConfigInt("PS_CARRIER_DEFAULT"));
            cart["secure_key"] = customer["secure_key"];
            cart["date_add"] = now;
            cart["date_upd"] = now;
            cart.Associations["cart_rows"] = [.. lines.Select(l =>
            {
                var (productId, attributeId) = FindReference(l.Reference);
                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["id_product"] = WsRow.Format(productId),
                    ["id_product_attribute"] = WsRow.Format(attributeId),
                    ["id_address_delivery"] = WsRow.Format(address.Id),
                    ["quantity"] = WsRow.Format(l.Quantity),
                };
            })];
            PrepareCart(cart);
            Table("carts").Insert(cart);

            var module = _modules.Values.FirstOrDefault(m => m.Active) ?? throw new InvalidOperationException("No active payment module.");
            var posted = Table("orders").NewRow();
            posted["module"] = module.Name;
            posted["payment"] = module.DisplayName;
            posted["id_cart"] = WsRow.Format(cart.Id);
            posted["id_customer"] = WsRow.Format(customer.Id);
            posted["total_paid"] = WsRow.Format(ComputeCart(cart, address, ResolveCarrier(cart)).Total);
            if (ValidateOrderLocked(posted) is not WsRowsOutcome)
            {
                throw new InvalidOperationException("validateOrder refused the storefront order.");
            }

            return Table("orders").Rows.Values.Single(o => o.Long("id_cart") == cart.Id).Id;
        }
    }

    private void SetOrderStateLocked(long orderId, int stateId)
    {
        var order = Table("orders").Find(orderId) ?? throw new KeyNotFoundException($"No order {orderId}.");
        _ = Table("order_states").Find(stateId) ?? throw new KeyNotFoundException($"No order state {stateId}.");
        ChangeStateLocked(order, stateId, sendEmail: true, applyStock: true, employeeId: 1);
    }

    private (long ProductId, long AttributeId) FindReference(string reference)
    {
        var combination = Table("combinations").Rows.Values.FirstOrDefault(c => c["reference"] == reference);
        if (combination is not null)
        {
            return (combination.Long("id_product"), combination.Id);
        }

        var product = Table("products").Rows.Values.FirstOrDefault(p => p["reference"] == reference)
            ?? throw new KeyNotFoundException($"No product or combination with reference '{reference}'.");
        return (product.Id, product.Long("id_default_combination"));
    }
}
