namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// A snapshot of an order as the shop stored it. <see cref="TotalPaid"/> is what the core recomputed from the cart
/// (§1.4); <see cref="TotalPaidReal"/> is the registered payment, i.e. the <c>total_paid</c> the client posted when the
/// initial state was logable. On a mismatch the two differ and <see cref="CurrentState"/> is PS_OS_ERROR.
/// </summary>
public sealed record PsOrder(
    long Id,
    string Reference,
    long CartId,
    long CustomerId,
    long AddressDeliveryId,
    long CurrencyId,
    long CarrierId,
    int CurrentState,
    bool Valid,
    decimal TotalPaid,
    decimal TotalPaidReal,
    decimal TotalProducts,
    decimal TotalProductsWt,
    decimal TotalShippingTaxIncl,
    string Module,
    string Payment,
    DateTimeOffset DateAdd,
    IReadOnlyList<PsOrderHistory> OrderHistories,
    IReadOnlyList<PsOrderRow> Rows,
    IReadOnlyList<PsOrderPayment> Payments)
{
    /// <summary>The last change (shop-local time in the table, an instant here).</summary>
    public DateTimeOffset DateUpd { get; init; }

    /// <summary>Copied from the cart by validateOrder (Connector's marker lives here).</summary>
    public string GiftMessage { get; init; } = string.Empty;

    /// <summary>orders.shipping_number, which the back office keeps equal to the order carrier's tracking number.</summary>
    public string ShippingNumber { get; init; } = string.Empty;

    public IReadOnlyList<PsOrderCarrier> Carriers { get; init; } = [];
}

/// <summary>An order_carriers row: the carrier the order ships with and its tracking number.</summary>
public sealed record PsOrderCarrier(long Id, long OrderId, long CarrierId, string TrackingNumber);

public sealed record PsOrderHistory(long Id, long OrderId, int OrderStateId, DateTimeOffset DateAdd, bool EmailSent);

public sealed record PsOrderRow(long ProductId, long ProductAttributeId, int Quantity, string Reference, decimal UnitPriceTaxExcl, decimal UnitPriceTaxIncl);

public sealed record PsOrderPayment(long Id, string OrderReference, decimal Amount, string PaymentMethod);

public sealed record PsCart(
    long Id,
    long CustomerId,
    long AddressDeliveryId,
    long AddressInvoiceId,
    long CurrencyId,
    long LangId,
    long CarrierId,
    string SecureKey,
    IReadOnlyList<PsCartRow> Rows);

public sealed record PsCartRow(long ProductId, long ProductAttributeId, long AddressDeliveryId, int Quantity);

public sealed record PsCustomer(long Id, string FirstName, string LastName, string Email, string SecureKey, bool IsGuest);

public sealed record PsAddress(
    long Id,
    long CustomerId,
    long CountryId,
    long StateId,
    string Alias,
    string FirstName,
    string LastName,
    string Address1,
    string City,
    string Postcode,
    string Phone,
    string Dni);

public sealed record PsSpecificPrice(
    long Id,
    long CartId,
    long ProductId,
    long ProductAttributeId,
    decimal Price,
    int FromQuantity,
    decimal Reduction,
    string ReductionType,
    bool ReductionTax);

/// <summary>A customer e-mail the shop would have sent (order_conf at creation, a state's template on a state change).</summary>
public sealed record PsEmail(string To, string Template, long OrderId);

/// <summary>A webservice request the shop received; the key is redacted.</summary>
public sealed record PsRequestRecord(DateTimeOffset Time, string Method, string Path, string Query, int Status, string Body);
