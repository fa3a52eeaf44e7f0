using System.Globalization;
using System.Security.Cryptography;
using Connector.Sandbox.PrestaShop.Webservice;

namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// One simulated PrestaShop 1.7/8 shop behind its Webservice (store-apis.md §1). All state sits in ObjectModel-like
/// tables guarded by one lock; the inspection properties return snapshots.
/// </summary>
public sealed partial class SimPrestaShop
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WsTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentModuleOptions> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PsEmail> _emails = [];
    private readonly HashSet<long> _emailedHistories = [];
    private readonly List<PsRequestRecord> _requests = [];
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private volatile bool _webserviceEnabled;
    private volatile bool _stripAuthorizationHeader;

    internal SimPrestaShop(string name, Uri baseUrl, PrestaShopShopOptions options, TimeProvider time)
    {
        Name = name;
        BaseUrl = baseUrl;
        Options = options;
        _time = time;
        ApiKey = options.ApiKey ?? RandomKey();
        if (ApiKey.Length != 32)
        {
            throw new ArgumentException("A PrestaShop webservice key is 32 characters long (§1.1).", nameof(options));
        }

        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        _webserviceEnabled = options.WebserviceEnabled;
        _stripAuthorizationHeader = options.StripAuthorizationHeader;
        foreach (var resource in WsResources.All.Values)
        {
            _tables[resource.Plural] = new WsTable(resource);
        }

        foreach (var module in options.PaymentModules)
        {
            _modules[module.Name] = module;
        }

        Seed();
    }

    /// <summary>The shop's name in the simulator URL.</summary>
    public string Name { get; }

    /// <summary>What a merchant enters: <c>{simulator}/shops/{name}</c>. The Webservice lives at <c>{BaseUrl}/api/</c> (§1.1).</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>{BaseUrl}/api/</c>.</summary>
    public Uri ApiUrl => new($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/api/");

    /// <summary>The 32-character webservice key (Basic auth user name, empty password; or <c>?ws_key=</c>).</summary>
    public string ApiKey { get; }

    internal PrestaShopShopOptions Options { get; }

    /// <summary>PS_WEBSERVICE: when false every request answers 503, error 22 (§1.1).</summary>
    public bool WebserviceEnabled
    {
        get => _webserviceEnabled;
        set => _webserviceEnabled = value;
    }

    /// <summary>§1.1: emulate a CGI/FastCGI host that drops the Authorization header before PHP sees it.</summary>
    public bool StripAuthorizationHeader
    {
        get => _stripAuthorizationHeader;
        set => _stripAuthorizationHeader = value;
    }

    /// <summary>PS_OS_* configuration keys and the order state ids they point at.</summary>
    public IReadOnlyDictionary<string, int> OrderStateIds
    {
        get
        {
            lock (_gate)
            {
                return Options.OrderStates.Where(s => s.ConfigKey is not null).ToDictionary(s => s.ConfigKey!, s => s.Id, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<PsOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. Table("orders").Rows.Values.Select(ToOrder)];
            }
        }
    }

    public IReadOnlyList<PsCart> Carts
    {
        get
        {
            lock (_gate)
            {
                return [.. Table("carts").Rows.Values.Select(ToCart)];
            }
        }
    }

    public IReadOnlyList<PsCustomer> Customers
    {
        get
        {
            lock (_gate)
            {
                return [.. Table("customers").Rows.Values.Select(r => new PsCustomer(r.Id, r["firstname"], r["lastname"], r["email"], r["secure_key"], r.Bool("is_guest")))];
            }
        }
    }

    public IReadOnlyList<PsAddress> Addresses
    {
        get
        {
            lock (_gate)
            {
                return [.. Table("addresses").Rows.Values.Select(r => new PsAddress(
                    r.Id, r.Long("id_customer"), r.Long("id_country"), r.Long("id_state"), r["alias"], r["firstname"], r["lastname"],
                    r["address1"], r["city"], r["postcode"], r["phone"], r["dni"]))];
            }
        }
    }

    /// <summary>Specific prices still in the shop (cart-scoped ones disappear when their order is created, §1.3 step 4).</summary>
    public IReadOnlyList<PsSpecificPrice> SpecificPrices
    {
        get
        {
            lock (_gate)
            {
                return [.. Table("specific_prices").Rows.Values.Select(r => new PsSpecificPrice(
                    r.Id, r.Long("id_cart"), r.Long("id_product"), r.Long("id_product_attribute"), r.Dec("price"), r.Int("from_quantity"),
                    r.Dec("reduction"), r["reduction_type"], r.Bool("reduction_tax")))];
            }
        }
    }

    public IReadOnlyList<PsEmail> Emails
    {
        get
        {
            lock (_gate)
            {
                return [.. _emails];
            }
        }
    }

    public IReadOnlyList<PsRequestRecord> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Adds a simple product (no combinations yet) with its stock_availables row; returns its id.</summary>
    public long AddProduct(string reference, decimal priceTaxExcl, int quantity, int taxRulesGroupId = 1)
    {
        ArgumentNullException.ThrowIfNull(reference);
        lock (_gate)
        {
            var now = Now();
            var products = Table("products");
            var row = products.NewRow();
            row["reference"] = reference;
            row["price"] = WsRow.Format(priceTaxExcl);
            row["id_tax_rules_group"] = WsRow.Format(taxRulesGroupId);
            row["active"] = "1";
            row["available_for_order"] = "1";
            row["minimal_quantity"] = "1";
            row["state"] = "1";
            row["type"] = "simple";
            row["id_category_default"] = "2";
            row["name"] = string.IsNullOrEmpty(reference) ? "Product" : reference;
            row["link_rewrite"] = (string.IsNullOrEmpty(reference) ? "product" : reference).ToLowerInvariant();
            row["date_add"] = now;
            row["date_upd"] = now;
            products.Insert(row);
            AddStockRow(row.Id, 0, quantity);
            return row.Id;
        }
    }

    /// <summary>Adds a combination (price impact tax excluded) with its own stock; the product's total stock grows with it.</summary>
    public long AddCombination(long productId, string reference, decimal impactPrice, int quantity)
    {
        ArgumentNullException.ThrowIfNull(reference);
        lock (_gate)
        {
            var product = Table("products").Find(productId) ?? throw new KeyNotFoundException($"No product {productId}.");
            var combinations = Table("combinations");
            var row = combinations.NewRow();
            row["id_product"] = WsRow.Format(productId);
            row["reference"] = reference;
            row["price"] = WsRow.Format(impactPrice);
            row["minimal_quantity"] = "1";
            var first = !combinations.Rows.Values.Any(c => c.Long("id_product") == productId);
            row["default_on"] = first ? "1" : "0";
            combinations.Insert(row);
            if (first)
            {
                product["id_default_combination"] = WsRow.Format(row.Id);
                product["type"] = "combinations";
            }

            AddStockRow(productId, row.Id, quantity);
            var productStock = StockRow(productId, 0)!;
            productStock["quantity"] = WsRow.Format(productStock.Long("quantity") + quantity);
            return row.Id;
        }
    }

    /// <summary>Stock (stock_availables.quantity) of the product or combination whose reference is exactly <paramref name="reference"/>.</summary>
    public int StockOf(string reference)
    {
        lock (_gate)
        {
            var combination = Table("combinations").Rows.Values.FirstOrDefault(c => c["reference"] == reference);
            if (combination is not null)
            {
                return StockRow(combination.Long("id_product"), combination.Id)!.Int("quantity");
            }

            var product = Table("products").Rows.Values.FirstOrDefault(p => p["reference"] == reference)
                ?? throw new KeyNotFoundException($"No product or combination with reference '{reference}'.");
            return StockRow(product.Id, 0)!.Int("quantity");
        }
    }

    /// <summary>Installs (or updates) a payment module; <paramref name="installed"/> false removes it.</summary>
    public void SetPaymentModule(string name, string displayName, bool installed = true, bool active = true)
    {
        lock (_gate)
        {
            if (!installed)
            {
                _modules.Remove(name);
                return;
            }

            _modules[name] = new PaymentModuleOptions(name, displayName) { Active = active };
        }
    }

    public IReadOnlyList<PaymentModuleOptions> PaymentModules
    {
        get
        {
            lock (_gate)
            {
                return [.. _modules.Values];
            }
        }
    }

    public void SetCountryActive(string isoCode, bool active)
    {
        lock (_gate)
        {
            var country = Table("countries").Rows.Values.First(c => string.Equals(c["iso_code"], isoCode, StringComparison.OrdinalIgnoreCase));
            country["active"] = WsRow.Format(active);
        }
    }

    /// <summary>Sets a configuration value (adds the key if missing), e.g. PS_ROUND_TYPE.</summary>
    public void SetConfiguration(string name, string value)
    {
        lock (_gate)
        {
            SetConfigurationLocked(name, value);
        }
    }

    public string? GetConfiguration(string name)
    {
        lock (_gate)
        {
            return ConfigValue(name);
        }
    }

    internal void Record(PsRequestRecord record)
    {
        lock (_gate)
        {
            _requests.Add(record);
        }
    }

    internal WsTable Table(string plural) => _tables[plural];

    internal Lock Gate => _gate;

    internal PaymentModuleOptions? FindModule(string name)
    {
        lock (_gate)
        {
            return _modules.GetValueOrDefault(name);
        }
    }

    /// <summary>The shop's wall-clock time (PS_TIMEZONE), as PHP's date() gives it.</summary>
    private DateTime LocalNow() => TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _zone).DateTime;

    private string Now() => LocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private string? ConfigValue(string name) => Table("configurations").Rows.Values.FirstOrDefault(c => c["name"] == name)?["value"];

    private int ConfigInt(string name) => int.TryParse(ConfigValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private void SetConfigurationLocked(string name, string value)
    {
        var table = Table("configurations");
        var row = table.Rows.Values.FirstOrDefault(c => c["name"] == name);
        if (row is null)
        {
            row = table.NewRow();
            row["name"] = name;
            row["date_add"] = Now();
            table.Insert(row);
        }

        row["value"] = value;
        row["date_upd"] = Now();
    }

    private WsRow? StockRow(long productId, long attributeId) =>
        Table("stock_availables").Rows.Values.FirstOrDefault(s => s.Long("id_product") == productId && s.Long("id_product_attribute") == attributeId);

    private void AddStockRow(long productId, long attributeId, int quantity)
    {
        var stock = Table("stock_availables");
        var row = stock.NewRow();
        row["id_product"] = WsRow.Format(productId);
        row["id_product_attribute"] = WsRow.Format(attributeId);
        row["id_shop"] = "1";
        row["quantity"] = WsRow.Format(quantity);
        row["out_of_stock"] = "2";
        stock.Insert(row);
    }

    private static string RandomKey()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }

    private static string RandomMd5() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private void Seed()
    {
        var now = Now();
        var o = Options;

        var languages = Table("languages");
        var lang = languages.NewRow(1);
        lang["name"] = "English (English)";
        lang["iso_code"] = "en";
        lang["locale"] = "en-US";
        lang["language_code"] = "en-us";
        lang["active"] = "1";
        lang["date_format_lite"] = "m/d/Y";
        lang["date_format_full"] = "m/d/Y H:i:s";
        languages.Insert(lang);

        foreach (var c in o.Currencies)
        {
            var row = Table("currencies").NewRow(c.Id);
            row["name"] = c.Name;
            row["iso_code"] = c.IsoCode;
            row["conversion_rate"] = WsRow.Format(c.ConversionRate);
            row["active"] = WsRow.Format(c.Active);
            row["precision"] = WsRow.Format(o.Decimals);
            Table("currencies").Insert(row);
        }

        foreach (var c in o.Countries)
        {
            var row = Table("countries").NewRow(c.Id);
            row["id_zone"] = WsRow.Format(c.ZoneId);
            row["iso_code"] = c.IsoCode;
            row["active"] = WsRow.Format(c.Active);
            row["contains_states"] = WsRow.Format(c.ContainsStates);
            row["need_identification_number"] = WsRow.Format(c.NeedIdentificationNumber);
            row["need_zip_code"] = WsRow.Format(c.NeedZipCode);
            row["display_tax_label"] = "1";
            row["name"] = c.Name;
            Table("countries").Insert(row);
        }

        foreach (var s in o.States)
        {
            var country = o.Countries.FirstOrDefault(c => c.IsoCode == s.CountryIsoCode);
            if (country is null)
            {
                continue;
            }

            var row = Table("states").NewRow(s.Id);
            row["id_zone"] = WsRow.Format(country.ZoneId);
            row["id_country"] = WsRow.Format(country.Id);
            row["iso_code"] = s.IsoCode;
            row["name"] = s.Name;
            row["active"] = WsRow.Format(s.Active);
            Table("states").Insert(row);
        }

        // One Tax per distinct rate; tax_rules link (group, country[, state]) to it, as PrestaShop does.
        var taxes = Table("taxes");
        foreach (var group in o.TaxRulesGroups)
        {
            var groupRow = Table("tax_rule_groups").NewRow(group.Id);
            groupRow["name"] = group.Name;
            groupRow["active"] = "1";
            groupRow["date_add"] = now;
            groupRow["date_upd"] = now;
            Table("tax_rule_groups").Insert(groupRow);
            foreach (var rule in group.Rules)
            {
                var country = o.Countries.FirstOrDefault(c => c.IsoCode == rule.CountryIsoCode);
                if (country is null)
                {
                    continue;
                }

                var tax = taxes.Rows.Values.FirstOrDefault(t => t.Dec("rate") == rule.Rate);
                if (tax is null)
                {
                    tax = taxes.NewRow();
                    tax["rate"] = WsRow.Format(rule.Rate);
                    tax["active"] = "1";
                    tax["name"] = $"Tax {rule.Rate.ToString("0.##", CultureInfo.InvariantCulture)}%";
                    taxes.Insert(tax);
                }

                var ruleRow = Table("tax_rules").NewRow();
                ruleRow["id_tax_rules_group"] = WsRow.Format(group.Id);
                ruleRow["id_country"] = WsRow.Format(country.Id);
                var state = rule.StateIsoCode is null ? null : o.States.FirstOrDefault(s => s.CountryIsoCode == rule.CountryIsoCode && s.IsoCode == rule.StateIsoCode);
                ruleRow["id_state"] = WsRow.Format(state?.Id ?? 0);
                ruleRow["id_tax"] = WsRow.Format(tax.Id);
                Table("tax_rules").Insert(ruleRow);
            }
        }

        foreach (var c in o.Carriers)
        {
            var row = Table("carriers").NewRow(c.Id);
            row["name"] = c.Name;
            row["active"] = WsRow.Format(c.Active);
            row["id_reference"] = WsRow.Format(c.Id);
            row["id_tax_rules_group"] = WsRow.Format(c.TaxRulesGroupId);
            row["is_free"] = WsRow.Format(c.ShippingPriceTaxExcl == 0);
            row["delay"] = "Delivery next day!";
            Table("carriers").Insert(row);
        }

        foreach (var s in o.OrderStates)
        {
            var row = Table("order_states").NewRow(s.Id);
            row["name"] = s.Name;
            row["logable"] = WsRow.Format(s.Logable);
            row["paid"] = WsRow.Format(s.Paid);
            row["shipped"] = WsRow.Format(s.Shipped);
            row["delivery"] = WsRow.Format(s.Delivery);
            row["send_email"] = WsRow.Format(s.SendEmail);
            row["invoice"] = WsRow.Format(s.Paid);
            row["template"] = s.Template;
            row["unremovable"] = "1";
            row["color"] = "#34209E";
            Table("order_states").Insert(row);
            if (s.ConfigKey is not null)
            {
                SetConfigurationLocked(s.ConfigKey, WsRow.Format(s.Id));
            }
        }

        SetConfigurationLocked("PS_SHOP_NAME", Name);
        SetConfigurationLocked("PS_TIMEZONE", o.TimeZone);
        SetConfigurationLocked("PS_LANG_DEFAULT", "1");
        SetConfigurationLocked("PS_CURRENCY_DEFAULT", WsRow.Format(o.Currencies.FirstOrDefault()?.Id ?? 1));
        SetConfigurationLocked("PS_COUNTRY_DEFAULT", WsRow.Format(o.DefaultCountryId));
        SetConfigurationLocked("PS_ROUND_TYPE", WsRow.Format(o.RoundType));
        SetConfigurationLocked("PS_PRICE_ROUND_MODE", WsRow.Format(o.PriceRoundMode));
        SetConfigurationLocked("PS_PRICE_DISPLAY_PRECISION", WsRow.Format(o.Decimals));
        SetConfigurationLocked("PS_STOCK_MANAGEMENT", "1");
        SetConfigurationLocked("PS_TAX", "1");
        SetConfigurationLocked("PS_TAX_ADDRESS_TYPE", "id_address_delivery");
        SetConfigurationLocked("PS_WEBSERVICE", "1");
        SetConfigurationLocked("PS_UNIDENTIFIED_GROUP", "1");
        SetConfigurationLocked("PS_GUEST_GROUP", "2");
        SetConfigurationLocked("PS_CUSTOMER_GROUP", "3");
        SetConfigurationLocked("PS_CARRIER_DEFAULT", WsRow.Format(o.Carriers.FirstOrDefault()?.Id ?? 0));
    }

    private PsCart ToCart(WsRow r) => new(
        r.Id, r.Long("id_customer"), r.Long("id_address_delivery"), r.Long("id_address_invoice"), r.Long("id_currency"), r.Long("id_lang"),
        r.Long("id_carrier"), r["secure_key"],
        [.. r.Associations.GetValueOrDefault("cart_rows", []).Select(i => new PsCartRow(
            ParseLong(i.GetValueOrDefault("id_product")), ParseLong(i.GetValueOrDefault("id_product_attribute")),
            ParseLong(i.GetValueOrDefault("id_address_delivery")), (int)ParseLong(i.GetValueOrDefault("quantity"))))]);

    private PsOrder ToOrder(WsRow r)
    {
        var histories = Table("order_histories").Rows.Values
            .Where(h => h.Long("id_order") == r.Id)
            .Select(h => new PsOrderHistory(h.Id, r.Id, h.Int("id_order_state"), ParseDate(h["date_add"]), _emailedHistories.Contains(h.Id)))
            .ToList();
        var payments = Table("order_payments").Rows.Values
            .Where(p => p["order_reference"] == r["reference"])
            .Select(p => new PsOrderPayment(p.Id, p["order_reference"], p.Dec("amount"), p["payment_method"]))
            .ToList();
        var rows = r.Associations.GetValueOrDefault("order_rows", [])
            .Select(i => new PsOrderRow(
                ParseLong(i.GetValueOrDefault("product_id")), ParseLong(i.GetValueOrDefault("product_attribute_id")),
                (int)ParseLong(i.GetValueOrDefault("product_quantity")), i.GetValueOrDefault("product_reference", string.Empty),
                ParseDec(i.GetValueOrDefault("unit_price_tax_excl")), ParseDec(i.GetValueOrDefault("unit_price_tax_incl"))))
            .ToList();
        return new PsOrder(
            r.Id, r["reference"], r.Long("id_cart"), r.Long("id_customer"), r.Long("id_address_delivery"), r.Long("id_currency"), r.Long("id_carrier"),
            r.Int("current_state"), r.Bool("valid"), r.Dec("total_paid"), r.Dec("total_paid_real"), r.Dec("total_products"), r.Dec("total_products_wt"),
            r.Dec("total_shipping_tax_incl"), r["module"], r["payment"], ParseDate(r["date_add"]), histories, rows, payments)
        {
            DateUpd = ParseDate(r["date_upd"]),
            GiftMessage = r["gift_message"],
            ShippingNumber = r["shipping_number"],
            Carriers = [.. Table("order_carriers").Rows.Values
                .Where(c => c.Long("id_order") == r.Id)
                .Select(c => new PsOrderCarrier(c.Id, r.Id, c.Long("id_carrier"), c["tracking_number"]))],
        };
    }

    private static long ParseLong(string? value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static decimal ParseDec(string? value) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 0m;

    /// <summary>A stored date (shop-local wall-clock time) as an instant.</summary>
    private DateTimeOffset ParseDate(string value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, _zone.GetUtcOffset(local))
            : default;
}
