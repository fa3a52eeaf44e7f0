namespace Connector.Sandbox.TikTok;

/// <summary>A snapshot of one authorized shop (§3). Expiries are absolute Unix seconds, as the token endpoints return them.</summary>
public sealed record SimShop
{
    public required string ShopId { get; init; }
    public required string Cipher { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required string Code { get; init; }
    public required string SellerType { get; init; }
    public required string OpenId { get; init; }
    public required string AccessToken { get; init; }
    public required long AccessTokenExpiresAt { get; init; }
    public required string RefreshToken { get; init; }
    public required long RefreshTokenExpiresAt { get; init; }
}

/// <summary>One SKU bought <see cref="Quantity"/> times; it expands into one line item per unit (§4.4).</summary>
public sealed record SimLineSpec
{
    public required string SellerSku { get; init; }

    /// <summary>Per-unit price the buyer pays (before tax).</summary>
    public decimal SalePrice { get; init; } = 19.99m;

    /// <summary>Per-unit list price; defaults to <see cref="SalePrice"/>. The difference is a seller discount.</summary>
    public decimal? OriginalPrice { get; init; }

    public int Quantity { get; init; } = 1;

    /// <summary>Defaults to a stable id per (shop, seller_sku).</summary>
    public string? SkuId { get; init; }

    public string? ProductId { get; init; }
    public string? ProductName { get; init; }
    public string? SkuName { get; init; }
}

/// <summary>A buyer's delivery address. District levels follow §4.4: L0 country, L1 state, L2 county, L3 city.</summary>
public sealed record SimAddressSpec
{
    public string Name { get; init; } = "Jane Doe";
    public string PhoneNumber { get; init; } = "(+1)213-555-1234";
    public string AddressLine1 { get; init; } = "5800 Bristol Pkwy";
    public string AddressLine2 { get; init; } = "Suite 100";
    public string City { get; init; } = "Culver City";
    public string County { get; init; } = "Los Angeles County";
    public string State { get; init; } = "California";
    public string StateCode { get; init; } = "CA";
    public string PostalCode { get; init; } = "90230";
    public string RegionCode { get; init; } = "US";
    public string Country { get; init; } = "United States";
}

/// <summary>What to create; every member is optional.</summary>
public sealed record SimOrderSpec
{
    /// <summary>Defaults to one unit of "SIM-SKU-1" at 19.99.</summary>
    public IReadOnlyList<SimLineSpec>? Lines { get; init; }

    /// <summary>Initial status; any §5.1 value. Defaults to AWAITING_SHIPMENT.</summary>
    public string Status { get; init; } = TikTokOrderStatus.AwaitingShipment;

    /// <summary>Defaults by shop region (USD for US, GBP for GB, EUR for EU regions).</summary>
    public string? Currency { get; init; }

    public string? BuyerName { get; init; }
    public string? BuyerUserId { get; init; }
    public string? BuyerMessage { get; init; }
    public SimAddressSpec? Address { get; init; }

    /// <summary>TIKTOK (name and phone masked) or SELLER.</summary>
    public string ShippingType { get; init; } = "TIKTOK";

    public string FulfillmentType { get; init; } = "FULFILLMENT_BY_SELLER";

    /// <summary>Unix seconds; defaults to now.</summary>
    public long? CreateTime { get; init; }

    public decimal ShippingFee { get; init; } = 4.99m;

    /// <summary>Sales tax rate applied to each unit and to shipping (e.g. 0.0725).</summary>
    public decimal TaxRate { get; init; } = 0.0725m;

    /// <summary>Explicit order id (must be unique); defaults to a generated 18-digit id.</summary>
    public string? OrderId { get; init; }

    public string? WarehouseId { get; init; }
}

/// <summary>A recipient address as stored (unmasked); <see cref="SimOrder.ToApiJson"/> masks it for shipping_type TIKTOK.</summary>
public sealed record SimAddress
{
    public required string Name { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required string PhoneNumber { get; init; }
    public required string AddressLine1 { get; init; }
    public required string AddressLine2 { get; init; }
    public required string City { get; init; }
    public required string County { get; init; }
    public required string State { get; init; }
    public required string StateCode { get; init; }
    public required string PostalCode { get; init; }
    public required string RegionCode { get; init; }
    public required string Country { get; init; }

    internal static SimAddress From(SimAddressSpec spec, string? buyerName)
    {
        var name = string.IsNullOrWhiteSpace(buyerName) ? spec.Name : buyerName.Trim();
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return new SimAddress
        {
            Name = name,
            FirstName = space < 0 ? name : name[..space],
            LastName = space < 0 ? "" : name[(space + 1)..],
            PhoneNumber = spec.PhoneNumber,
            AddressLine1 = spec.AddressLine1,
            AddressLine2 = spec.AddressLine2,
            City = spec.City,
            County = spec.County,
            State = spec.State,
            StateCode = spec.StateCode,
            PostalCode = spec.PostalCode,
            RegionCode = spec.RegionCode,
            Country = spec.Country,
        };
    }
}

/// <summary>The order-level money block (§4.4 formulas). All amounts in <see cref="Currency"/>.</summary>
public sealed record SimPayment
{
    public required string Currency { get; init; }
    public required decimal OriginalTotalProductPrice { get; init; }
    public required decimal SellerDiscount { get; init; }
    public required decimal PlatformDiscount { get; init; }

    /// <summary>original_total_product_price − seller_discount − platform_discount.</summary>
    public required decimal SubTotal { get; init; }

    public required decimal OriginalShippingFee { get; init; }
    public required decimal ShippingFeeSellerDiscount { get; init; }
    public required decimal ShippingFeePlatformDiscount { get; init; }

    /// <summary>original_shipping_fee − shipping_fee_seller_discount − shipping_fee_platform_discount.</summary>
    public required decimal ShippingFee { get; init; }

    public required decimal ProductTax { get; init; }
    public required decimal ShippingFeeTax { get; init; }
    public required decimal Tax { get; init; }
    public required decimal RetailDeliveryFee { get; init; }

    /// <summary>sub_total + shipping_fee + tax + retail_delivery_fee.</summary>
    public required decimal TotalAmount { get; init; }
}

/// <summary>One unit of one SKU (§4.4: line items carry no quantity).</summary>
public sealed record SimLineItem
{
    public required string Id { get; init; }
    public required string SkuId { get; init; }
    public required string ProductId { get; init; }
    public required string SellerSku { get; init; }
    public required string ProductName { get; init; }
    public required string SkuName { get; init; }
    public required string SkuImage { get; init; }
    public required decimal SalePrice { get; init; }
    public required decimal OriginalPrice { get; init; }
    public required decimal SellerDiscount { get; init; }
    public decimal PlatformDiscount { get; init; }
    public required decimal TaxRate { get; init; }
    public required decimal TaxAmount { get; init; }

    /// <summary>§4.4 line display_status, derived from the order status.</summary>
    public required string DisplayStatus { get; init; }

    public string? PackageId { get; init; }

    /// <summary>TO_FULFILL, PROCESSING, FULFILLING, COMPLETED or CANCELLED; null while not shipped (US/UK local sellers, §4.4).</summary>
    public string? PackageStatus { get; init; }

    public string? TrackingNumber { get; init; }
    public string? ShippingProviderId { get; init; }
    public string? ShippingProviderName { get; init; }
    public long? RtsTime { get; init; }
    public string? CancelUser { get; init; }
    public string? CancelReason { get; init; }
}

/// <summary>A request the simulator received (the control plane excluded). Secrets are redacted.</summary>
public sealed record SimRequestRecord
{
    public required DateTimeOffset Time { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }

    /// <summary>The raw query string as sent (percent-encoded), secrets redacted.</summary>
    public required string RawQuery { get; init; }

    /// <summary>Decoded query values (first value of each key), secrets redacted.</summary>
    public required IReadOnlyDictionary<string, string> Query { get; init; }

    /// <summary>Request headers; x-tts-access-token redacted.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required string Body { get; init; }
    public required int HttpStatus { get; init; }

    /// <summary>The envelope's code.</summary>
    public required int Code { get; init; }

    public required string Message { get; init; }
    public required string RequestId { get; init; }
}

/// <summary>An injected failure (§11 behaviour knobs). Matching faults are applied after validation and rate limiting.</summary>
public sealed class SimFault
{
    /// <summary>Request path prefix, e.g. "/order/202309/orders/search"; "" matches every path.</summary>
    public string PathPrefix { get; init; } = "";

    /// <summary>Optional HTTP method filter.</summary>
    public string? Method { get; init; }

    /// <summary>Optional shop filter (the shop the request's shop_cipher or token resolves to).</summary>
    public string? ShopId { get; init; }

    /// <summary>HTTP status of the fault answer. 0 = no answer of its own: only <see cref="Delay"/> applies and the request goes on.</summary>
    public int HttpStatus { get; init; } = 503;

    /// <summary>Envelope code, e.g. 36009002 (rate limit) or 36009003 (internal error).</summary>
    public int Code { get; init; } = 36009003;

    /// <summary>Defaults to the §8.1 message of <see cref="Code"/>.</summary>
    public string? Message { get; init; }

    /// <summary>How many matching requests it hits; 0 or less = every matching request until cleared.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Adds a Retry-After header (seconds).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Chance (0..1) that a matching request is hit; misses don't use up <see cref="Times"/>.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Wait before answering (timeouts, slow backends).</summary>
    public TimeSpan? Delay { get; init; }
}

/// <summary>One webhook delivery attempt (§7).</summary>
public sealed record SimWebhookDelivery
{
    public required string NotificationId { get; init; }
    public required int Type { get; init; }
    public required string ShopId { get; init; }
    public required Uri Url { get; init; }

    /// <summary>Exact body bytes sent, as UTF-8 text.</summary>
    public required string Body { get; init; }

    /// <summary>The Authorization header: lowercase hex HMAC-SHA256(app_secret, app_key + body).</summary>
    public required string Signature { get; init; }

    /// <summary>0 = first attempt, 1.. = retries.</summary>
    public required int Attempt { get; init; }

    /// <summary>A deliberate second copy of the notification (<see cref="TikTokSimulatorOptions.WebhookDuplicateProbability"/>).</summary>
    public bool IsDuplicate { get; init; }

    /// <summary>Never sent (<see cref="TikTokSimulatorOptions.WebhookDropProbability"/>).</summary>
    public bool Dropped { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The receiver's HTTP status; null when nothing was sent or no answer came.</summary>
    public int? ResponseStatus { get; init; }

    public string? Error { get; init; }

    public bool Succeeded => ResponseStatus is >= 200 and < 300;
}
