namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// How one simulated shop is set up. Every list has a default that matches a fresh PrestaShop 1.7/8 install closely
/// enough for order import (store-apis.md §1.7 state ids, check payment module); change anything to prove that a client
/// reads the shop instead of assuming it.
/// </summary>
public sealed class PrestaShopShopOptions
{
    /// <summary>The webservice key (§1.1: 32 characters). Null = a random one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>PS_WEBSERVICE (§1.1 "disabled by default"; the simulator enables it unless told otherwise).</summary>
    public bool WebserviceEnabled { get; set; } = true;

    /// <summary>§1.1 CGI/FastCGI pitfall: the Authorization header never reaches PHP; only <c>?ws_key=</c> authenticates.</summary>
    public bool StripAuthorizationHeader { get; set; }

    /// <summary>Installed payment modules (§1.4: the order's <c>module</c> must be one of them, installed and active).</summary>
    public IList<PaymentModuleOptions> PaymentModules { get; init; } =
    [
        new("ps_checkpayment", "Payments by check"),
    ];

    /// <summary>Countries (ids as on a fresh install: DE 1, ES 6, FR 8, IT 10, GB 17, US 21).</summary>
    public IList<CountryOptions> Countries { get; init; } =
    [
        new(1, "DE", "Germany"),
        new(6, "ES", "Spain") { ContainsStates = true, NeedIdentificationNumber = true },
        new(8, "FR", "France"),
        new(10, "IT", "Italy") { Active = false, ContainsStates = true },
        new(17, "GB", "United Kingdom"),
        new(21, "US", "United States") { ContainsStates = true },
    ];

    /// <summary>States (ids illustrative).</summary>
    public IList<StateOptions> States { get; init; } =
    [
        new(5, "US", "CA", "California"),
        new(32, "US", "NY", "New York"),
        new(43, "US", "TX", "Texas"),
        new(339, "ES", "M", "Madrid"),
        new(340, "ES", "B", "Barcelona"),
        new(126, "IT", "MI", "Milano"),
    ];

    /// <summary>Currencies; the first is PS_CURRENCY_DEFAULT.</summary>
    public IList<CurrencyOptions> Currencies { get; init; } =
    [
        new(1, "EUR", "Euro"),
        new(2, "USD", "US Dollar") { ConversionRate = 1.08m },
        new(3, "GBP", "British Pound") { ConversionRate = 0.86m },
    ];

    /// <summary>Tax rules groups, each with one rate per country (and optionally per state).</summary>
    public IList<TaxRulesGroupOptions> TaxRulesGroups { get; init; } =
    [
        new(1, "Standard rate",
        [
            new("FR", 20m), new("DE", 19m), new("ES", 21m), new("IT", 22m), new("GB", 20m), new("US", 0m),
        ]),
        new(2, "Reduced rate",
        [
            new("FR", 5.5m), new("DE", 7m), new("ES", 10m), new("IT", 10m), new("GB", 5m), new("US", 0m),
        ]),
    ];

    /// <summary>Carriers; carts whose carrier is missing or inactive get the first active one (§1.4 carrier re-resolution).</summary>
    public IList<CarrierOptions> Carriers { get; init; } =
    [
        new(1, "Click and collect"),
        new(2, "My carrier"),
    ];

    /// <summary>Order states with their ids and flags (§1.7). Renumber them to prove a client resolves ids through PS_OS_* keys.</summary>
    public IList<OrderStateOptions> OrderStates { get; init; } = [.. DefaultOrderStates()];

    /// <summary>PS_ROUND_TYPE (§1.5): 1 = ROUND_ITEM (default), 2 = ROUND_LINE, 3 = ROUND_TOTAL.</summary>
    public int RoundType { get; set; } = 1;

    /// <summary>PS_PRICE_ROUND_MODE (§1.5): 0 up, 1 down, 2 half up (default), 3 half down, 4 half even, 5 half odd.</summary>
    public int PriceRoundMode { get; set; } = 2;

    /// <summary>Currency precision: _PS_PRICE_COMPUTE_PRECISION_ (and PS_PRICE_DISPLAY_PRECISION).</summary>
    public int Decimals { get; set; } = 2;

    /// <summary>
    /// PS_TIMEZONE (an IANA id). PrestaShop sets PHP's default time zone to it, so every date it stores (date_add,
    /// date_upd, specific price windows) and every date filter is the shop's local wall-clock time, not UTC.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>PS_COUNTRY_DEFAULT, as a country id.</summary>
    public int DefaultCountryId { get; set; } = 8;

    /// <summary>
    /// Methods the key may use per resource (the back office's per-resource permission grid, §1.1). Null = every
    /// simulated resource with GET/HEAD, and POST/PUT/PATCH/DELETE on the ones a connector writes.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>>? KeyPermissions { get; set; }

    /// <summary>PrestaShop version sent in PSWS-Version.</summary>
    public string Version { get; set; } = "8.1.7";

    /// <summary>The states of a fresh install, ids as in store-apis.md §1.7 (plus <paramref name="offset"/>).</summary>
    public static IEnumerable<OrderStateOptions> DefaultOrderStates(int offset = 0) =>
    [
        new(1 + offset, "Awaiting check payment", "PS_OS_CHEQUE") { SendEmail = true, Template = "cheque" },
        new(2 + offset, "Payment accepted", "PS_OS_PAYMENT") { Logable = true, Paid = true, SendEmail = true, Template = "payment" },
        new(3 + offset, "Processing in progress", "PS_OS_PREPARATION") { Logable = true, Paid = true, Delivery = true, SendEmail = true, Template = "preparation" },
        new(4 + offset, "Shipped", "PS_OS_SHIPPING") { Logable = true, Paid = true, Shipped = true, Delivery = true, SendEmail = true, Template = "shipped" },
        new(5 + offset, "Delivered", "PS_OS_DELIVERED") { Logable = true, Paid = true, Shipped = true, Delivery = true },
        new(6 + offset, "Canceled", "PS_OS_CANCELED") { SendEmail = true, Template = "order_canceled" },
        new(7 + offset, "Refunded", "PS_OS_REFUND") { SendEmail = true, Template = "refund" },
        new(8 + offset, "Payment error", "PS_OS_ERROR") { SendEmail = true, Template = "payment_error" },
        new(9 + offset, "On backorder (paid)", "PS_OS_OUTOFSTOCK_PAID") { Paid = true, SendEmail = true, Template = "outofstock" },
        new(10 + offset, "Awaiting bank wire payment", "PS_OS_BANKWIRE") { SendEmail = true, Template = "bankwire" },
        new(11 + offset, "Remote payment accepted", "PS_OS_WS_PAYMENT") { Logable = true, Paid = true, SendEmail = true, Template = "payment" },
        new(12 + offset, "On backorder (not paid)", "PS_OS_OUTOFSTOCK_UNPAID") { SendEmail = true, Template = "outofstock" },
        new(13 + offset, "Awaiting Cash On Delivery validation", "PS_OS_COD_VALIDATION") { SendEmail = true, Template = "cashondelivery" },
    ];
}

/// <summary>A payment module: technical name (the order's <c>module</c>) and display name.</summary>
public sealed record PaymentModuleOptions(string Name, string DisplayName)
{
    public bool Installed { get; init; } = true;

    public bool Active { get; init; } = true;

    /// <summary>Front controllers under modules/{name}/controllers/front (ps_checkpayment has "payment" and "validation").</summary>
    public IReadOnlyList<string> FrontControllers { get; init; } = ["payment", "validation"];
}

public sealed record CountryOptions(int Id, string IsoCode, string Name)
{
    public bool Active { get; init; } = true;

    public bool ContainsStates { get; init; }

    /// <summary>Country::need_identification_number: addresses need a <c>dni</c>.</summary>
    public bool NeedIdentificationNumber { get; init; }

    public bool NeedZipCode { get; init; } = true;

    public int ZoneId { get; init; } = 1;
}

public sealed record StateOptions(int Id, string CountryIsoCode, string IsoCode, string Name)
{
    public bool Active { get; init; } = true;
}

public sealed record CurrencyOptions(int Id, string IsoCode, string Name)
{
    public decimal ConversionRate { get; init; } = 1m;

    public bool Active { get; init; } = true;
}

public sealed record TaxRuleOptions(string CountryIsoCode, decimal Rate, string? StateIsoCode = null);

public sealed record TaxRulesGroupOptions(int Id, string Name, IReadOnlyList<TaxRuleOptions> Rules);

/// <summary>A carrier with a flat shipping price (tax excluded) taxed with <see cref="TaxRulesGroupId"/> (0 = untaxed).</summary>
public sealed record CarrierOptions(int Id, string Name)
{
    public bool Active { get; init; } = true;

    public decimal ShippingPriceTaxExcl { get; init; }

    public int TaxRulesGroupId { get; init; }
}

/// <summary>An order state (§1.7) and the PS_OS_* configuration key that points at it, if any.</summary>
public sealed record OrderStateOptions(int Id, string Name, string? ConfigKey)
{
    public bool Logable { get; init; }

    public bool Paid { get; init; }

    public bool Shipped { get; init; }

    public bool Delivery { get; init; }

    public bool SendEmail { get; init; }

    public string Template { get; init; } = string.Empty;
}
