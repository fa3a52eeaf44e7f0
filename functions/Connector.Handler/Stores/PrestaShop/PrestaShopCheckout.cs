using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>The steps of an import, each looking before it writes (so a repeated attempt reuses what an earlier one made).</summary>
public sealed class PrestaShopCheckout(PrestaShopWebservice ws)
{
    public async Task<JsonObject?> FindCartAsync(StoreAccess shop, string tiktokOrderId, CancellationToken cancellationToken)
    {
        var body = await ws.GetAsync(shop, $"carts?{Q(("filter[gift_message]", $"[{Marker(tiktokOrderId)}]"), ("display", "full"), ("sort", "[id_ASC]"))}", cancellationToken);

        // The lowest id is the cart of this TikTok order (a lost race may leave a second, unused one).
        return PrestaShopXml.List(body, "carts")
            .Where(c => PrestaShopXml.Str(c["gift_message"]) == Marker(tiktokOrderId))
            .MinBy(c => PrestaShopXml.Long(c["id"]));
    }

    public async Task<JsonObject?> FindOrderByCartAsync(StoreAccess shop, long cartId, CancellationToken cancellationToken)
    {
        var body = await ws.GetAsync(shop, $"orders?{Q(("filter[id_cart]", $"[{cartId}]"), ("display", "[id,reference,current_state,total_paid,total_paid_real,id_cart]"))}", cancellationToken);
        return PrestaShopXml.List(body, "orders").MinBy(o => PrestaShopXml.Long(o["id"]));
    }

    public async Task<(long CountryId, long StateId, bool NeedsDni)> ResolveCountryAsync(StoreAccess shop, StoreAddress address, CancellationToken cancellationToken)
    {
        var iso = (address.CountryCode ?? string.Empty).Trim().ToUpperInvariant();
        if (iso.Length is < 2 or > 3 || !iso.All(char.IsAsciiLetterUpper))
        {
            throw new StoreRejectedException($"The TikTok order's delivery country '{address.CountryCode}' is not an ISO country code.");
        }

        var body = await ws.GetAsync(shop, $"countries?{Q(("filter[iso_code]", $"[{iso}]"), ("display", "[id,iso_code,active,contains_states,need_identification_number]"))}", cancellationToken);
        var country = PrestaShopXml.First(PrestaShopXml.List(body, "countries"))
            ?? throw new StoreRejectedException($"The country {iso} does not exist in PrestaShop (International > Locations > Countries).");
        if (!PrestaShopXml.Bool(country["active"]))
        {
            throw new StoreRejectedException($"The delivery country {iso} is not active in PrestaShop; activate it under International > Locations > Countries, then retry.");
        }

        var countryId = PrestaShopXml.Long(country["id"]);
        long stateId = 0;
        if (PrestaShopXml.Bool(country["contains_states"]))
        {
            var states = PrestaShopXml.List(await ws.GetAsync(shop, $"states?{Q(("filter[id_country]", $"[{countryId}]"), ("display", "[id,iso_code,name,active]"))}", cancellationToken), "states");
            var code = address.ProvinceCode?.Trim();
            var name = address.Province?.Trim();
            var state = states.FirstOrDefault(s => code is { Length: > 0 } && string.Equals(PrestaShopXml.Str(s["iso_code"]), code, StringComparison.OrdinalIgnoreCase))
                ?? states.FirstOrDefault(s => name is { Length: > 0 } && string.Equals(PrestaShopXml.Str(s["name"]), name, StringComparison.OrdinalIgnoreCase))
                ?? throw new StoreRejectedException($"PrestaShop needs a state for {iso} addresses, and has none matching TikTok's '{name ?? code}' (International > Locations > States).");
            stateId = PrestaShopXml.Long(state["id"]);
        }

        return (countryId, stateId, PrestaShopXml.Bool(country["need_identification_number"]));
    }

    public async Task<JsonObject> FindOrCreateCustomerAsync(
        StoreAccess shop, StoreOrderDraft draft, StoreAddress address, PrestaShopShopConfig config, long langId, CancellationToken cancellationToken)
    {
        var first = PrestaShopText.Name(address.FirstName, "TikTok");
        var last = PrestaShopText.Name(address.LastName, "Buyer");
        var email = draft.Email.Trim();
        if (PrestaShopText.IsFilterSafe(email) && PrestaShopText.IsFilterSafe(first) && PrestaShopText.IsFilterSafe(last))
        {
            var body = await ws.GetAsync(shop, "customers?" + Q(
                ("filter[email]", $"[{email}]"), ("filter[firstname]", $"[{first}]"), ("filter[lastname]", $"[{last}]"),
                ("filter[deleted]", "[0]"), ("display", "[id,secure_key,email,firstname,lastname]"), ("sort", "[id_ASC]")), cancellationToken);
            var existing = PrestaShopXml.List(body, "customers").FirstOrDefault(c =>
                string.Equals(PrestaShopXml.Str(c["email"]), email, StringComparison.OrdinalIgnoreCase)
                && PrestaShopXml.Str(c["firstname"]) == first && PrestaShopXml.Str(c["lastname"]) == last);
            if (existing is not null)
            {
                return existing;
            }
        }

        var xml = PrestaShopXml.Entity("customer",
        [
            new("id_default_group", config.CustomerGroupId > 0 ? PrestaShopXml.Format(config.CustomerGroupId) : null),
            new("id_lang", PrestaShopXml.Format(langId)),
            new("passwd", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
            new("lastname", last),
            new("firstname", first),
            new("email", email),
            new("active", "1"),
            new("newsletter", "0"),
            new("optin", "0"),
            new("is_guest", "0"),
            new("note", "TikTok Shop buyer, created by Connector"),
        ]);
        var created = await ws.WriteAsync(shop, HttpMethod.Post, "customers", "customers", xml, cancellationToken);
        return created["customer"] as JsonObject ?? throw new StoreRejectedException("PrestaShop answered POST customers without the customer.");
    }

    public async Task<long> FindOrCreateAddressAsync(
        StoreAccess shop, StoreOrderDraft draft, StoreAddress address, long customerId, long countryId, long stateId, bool needsDni,
        PrestaShopStoreOptions storeOptions, CancellationToken cancellationToken)
    {
        var alias = PrestaShopText.Generic($"TikTok {draft.TikTokOrderId}", 32);
        var body = await ws.GetAsync(shop, "addresses?" + Q(
            ("filter[id_customer]", $"[{customerId}]"), ("filter[alias]", $"[{alias}]"), ("filter[deleted]", "[0]"), ("display", "[id]")), cancellationToken);
        if (PrestaShopXml.First(PrestaShopXml.List(body, "addresses")) is { } existing)
        {
            return PrestaShopXml.Long(existing["id"]);
        }

        var line1 = PrestaShopText.Address(address.Address1);
        var city = PrestaShopText.City(address.City);
        if (line1.Length == 0 || city.Length == 0)
        {
            throw new StoreRejectedException("The TikTok order's address has no street or city, which PrestaShop requires.");
        }

        var xml = PrestaShopXml.Entity("address",
        [
            new("id_customer", PrestaShopXml.Format(customerId)),
            new("id_country", PrestaShopXml.Format(countryId)),
            new("id_state", PrestaShopXml.Format(stateId)),
            new("alias", alias),
            new("lastname", PrestaShopText.Name(address.LastName, "Buyer")),
            new("firstname", PrestaShopText.Name(address.FirstName, "TikTok")),
            new("address1", line1),
            new("address2", PrestaShopText.Address(address.Address2) is { Length: > 0 } line2 ? line2 : null),
            new("postcode", PrestaShopText.PostCode(address.Zip) is { Length: > 0 } zip ? zip : null),
            new("city", city),
            new("phone", PrestaShopText.Phone(address.Phone) is { Length: > 0 } phone ? phone : null),
            new("dni", needsDni ? PrestaShopText.Dni(storeOptions.DniPlaceholder ?? draft.TikTokOrderId) : null),
            new("other", Marker(draft.TikTokOrderId)),
        ]);
        var created = await ws.WriteAsync(shop, HttpMethod.Post, "addresses", "addresses", xml, cancellationToken);
        return PrestaShopXml.Long(created["address"]?["id"]);
    }

    public async Task<long> CreateCartAsync(
        StoreAccess shop, string tiktokOrderId, long customerId, string secureKey, long addressId, long currencyId, long langId, long carrierId,
        IEnumerable<(long ProductId, long AttributeId, long AddressId, int Quantity)> rows, CancellationToken cancellationToken)
    {
        var deliveryOption = new JsonObject { [PrestaShopXml.Format(addressId)] = $"{carrierId}," }.ToJsonString();
        var xml = PrestaShopXml.Entity("cart",
        [
            new("id_address_delivery", PrestaShopXml.Format(addressId)),
            new("id_address_invoice", PrestaShopXml.Format(addressId)),
            new("id_currency", PrestaShopXml.Format(currencyId)),
            new("id_customer", PrestaShopXml.Format(customerId)),
            new("id_lang", PrestaShopXml.Format(langId)),
            new("id_carrier", PrestaShopXml.Format(carrierId)),
            new("delivery_option", deliveryOption),
            new("secure_key", secureKey.Length == 32 ? secureKey : null),
            new("gift", "0"),
            new("gift_message", Marker(tiktokOrderId)),
        ], PrestaShopXml.CartRows(rows));
        var created = await ws.WriteAsync(shop, HttpMethod.Post, "carts", "carts", xml, cancellationToken);
        var cartId = PrestaShopXml.Long(created["cart"]?["id"]);

        // Two attempts racing past their claim could each make a cart: both settle on the lowest, where PrestaShop
        // accepts one order only.
        var first = await FindCartAsync(shop, tiktokOrderId, cancellationToken);
        return first is null ? cartId : PrestaShopXml.Long(first["id"]);
    }

    public async Task<string> SecureKeyAsync(StoreAccess shop, long customerId, CancellationToken cancellationToken)
    {
        var body = await ws.GetAsync(shop, $"customers/{customerId}?{Q(("display", "[id,secure_key]"))}", cancellationToken);
        return PrestaShopXml.Str(body?["customer"]?["secure_key"]);
    }

    public async Task<Dictionary<long, long>> TaxGroupsAsync(StoreAccess shop, IEnumerable<long> productIds, CancellationToken cancellationToken)
    {
        var ids = string.Join('|', productIds.Distinct().Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var body = await ws.GetAsync(shop, $"products?{Q(("filter[id]", $"[{ids}]"), ("display", "[id,id_tax_rules_group]"))}", cancellationToken);
        return PrestaShopXml.List(body, "products").ToDictionary(p => PrestaShopXml.Long(p["id"]), p => PrestaShopXml.Long(p["id_tax_rules_group"]));
    }

    /// <summary>The rate of a tax rules group for the delivery country (a state-specific rule wins), as PrestaShop applies it.</summary>
    public async Task<decimal> TaxRateAsync(StoreAccess shop, PrestaShopShopConfig config, long groupId, long countryId, long stateId, CancellationToken cancellationToken)
    {
        if (groupId == 0)
        {
            return 0m;
        }

        if (config.TaxRates.TryGetValue((groupId, countryId, stateId), out var cached))
        {
            return cached;
        }

        var rules = PrestaShopXml.List(await ws.GetAsync(shop, "tax_rules?" + Q(
            ("filter[id_tax_rules_group]", $"[{groupId}]"), ("filter[id_country]", $"[{countryId}]"), ("display", "[id,id_state,id_tax]")), cancellationToken), "tax_rules");
        var rule = rules
            .Where(r => PrestaShopXml.Long(r["id_state"]) is var s && (s == 0 || s == stateId))
            .OrderByDescending(r => PrestaShopXml.Long(r["id_state"]))
            .FirstOrDefault();
        var rate = 0m;
        if (rule is not null)
        {
            var tax = await ws.GetAsync(shop, $"taxes/{PrestaShopXml.Long(rule["id_tax"])}?{Q(("display", "[id,rate,active]"))}", cancellationToken);
            rate = tax?["tax"] is { } t && (t["active"] is null || PrestaShopXml.Bool(t["active"])) ? PrestaShopXml.Dec(t["rate"]) : 0m;
        }

        config.TaxRates[(groupId, countryId, stateId)] = rate;
        return rate;
    }

    /// <summary>One cart-scoped specific price per line (tax excluded); rows from an earlier attempt are kept when right, else replaced.</summary>
    public async Task PinPricesAsync(StoreAccess shop, long cartId, IReadOnlyList<(long ProductId, long AttributeId, decimal Price)> prices, CancellationToken cancellationToken)
    {
        var existing = PrestaShopXml.List(await ws.GetAsync(shop, "specific_prices?" + Q(
            ("filter[id_cart]", $"[{cartId}]"), ("display", "[id,id_product,id_product_attribute,price,reduction]")), cancellationToken), "specific_prices");
        var kept = new HashSet<(long, long)>();
        foreach (var row in existing)
        {
            var key = (PrestaShopXml.Long(row["id_product"]), PrestaShopXml.Long(row["id_product_attribute"]));
            var wanted = prices.FirstOrDefault(p => (p.ProductId, p.AttributeId) == key);
            if (wanted != default && PrestaShopXml.Dec(row["price"]) == Math.Round(wanted.Price, 6) && PrestaShopXml.Dec(row["reduction"]) == 0 && kept.Add(key))
            {
                continue;
            }

            var answer = await ws.SendRawAsync(shop, HttpMethod.Delete, $"specific_prices/{PrestaShopXml.Long(row["id"])}", null, AuthInQuery(shop), cancellationToken);
            if (answer.Status is not (>= 200 and < 300 or 404))
            {
                ws.ParseOrThrow(shop, answer, "DELETE", "specific_prices");
            }
        }

        foreach (var (productId, attributeId, price) in prices.Where(p => !kept.Contains((p.ProductId, p.AttributeId))))
        {
            var xml = PrestaShopXml.Entity("specific_price",
            [
                new("id_shop", "0"),
                new("id_cart", PrestaShopXml.Format(cartId)),
                new("id_product", PrestaShopXml.Format(productId)),
                new("id_product_attribute", PrestaShopXml.Format(attributeId)),
                new("id_currency", "0"),
                new("id_country", "0"),
                new("id_group", "0"),
                new("id_customer", "0"),
                new("price", PrestaShopXml.Format(price)),
                new("from_quantity", "1"),
                new("reduction", "0"),
                new("reduction_tax", "1"),
                new("reduction_type", "amount"),
                new("from", "0000-00-00 00:00:00"),
                new("to", "0000-00-00 00:00:00"),
            ]);
            await ws.WriteAsync(shop, HttpMethod.Post, "specific_prices", "specific_prices", xml, cancellationToken);
        }
    }
}
