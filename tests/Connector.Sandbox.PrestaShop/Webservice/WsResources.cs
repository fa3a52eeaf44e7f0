using System.Collections.Frozen;

namespace Connector.Sandbox.PrestaShop.Webservice;

internal enum WsType
{
    Int,
    Bool,
    Float,
    String,
    Date,
}

/// <summary>
/// One field of an ObjectModel <c>$definition</c> as the webservice sees it (getWebserviceParameters): validate rule,
/// required, size, lang (i18n), and whether it may be written (<c>setter =&gt; false</c>: POSTing it answers error 93).
/// </summary>
internal sealed record WsField(string Name, WsType Type, string? Validate, bool Required, int Size, bool Lang, bool Writable, string? Xlink)
{
    public string Default => Type is WsType.String or WsType.Date ? string.Empty : "0";
}

internal sealed record WsAssociation(string Name, string ItemName, IReadOnlyList<string> Fields, bool Writable, IReadOnlyDictionary<string, string> Xlinks);

/// <summary>A webservice resource (WebserviceRequest::getResources) backed by an ObjectModel class.</summary>
internal sealed record WsResource(
    string Plural,
    string Singular,
    string ClassName,
    string Description,
    IReadOnlyList<WsField> Fields,
    IReadOnlyList<WsAssociation> Associations,
    IReadOnlySet<string> ForbiddenMethods)
{
    public WsField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public WsAssociation? Association(string name) => Associations.FirstOrDefault(a => a.Name == name);
}

/// <summary>
/// The resources the simulator serves, with a faithful subset of each PrestaShop 1.7/8 class definition (field names,
/// validate rules, required flags, sizes as in classes/*.php). store-apis.md §1.2, §1.3.
/// </summary>
internal static class WsResources
{
    private static WsField F(string name, WsType type = WsType.String, string? validate = null, bool required = false, int size = 0, bool lang = false, bool writable = true, string? xlink = null) =>
        new(name, type, validate, required, size, lang, writable, xlink);

    private static WsField Id(string name, string? xlink, bool required = false) =>
        F(name, WsType.Int, required ? "isUnsignedId" : "isNullOrUnsignedId", required, xlink: xlink);

    private static WsField Bool(string name, bool required = false) => F(name, WsType.Bool, "isBool", required);

    private static WsField Price(string name, bool required = false, string validate = "isPrice") => F(name, WsType.Float, validate, required);

    // ObjectModel::getWebserviceParameters: date_add / date_upd get 'setter' => false.
    private static WsField DateAdd() => F("date_add", WsType.Date, "isDate", writable: false);

    private static WsField DateUpd() => F("date_upd", WsType.Date, "isDate", writable: false);

    private static WsAssociation Assoc(string name, string item, bool writable, params string[] fields)
    {
        var xlinks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var target = field switch
            {
                "id_product" or "product_id" => "products",
                "id_product_attribute" or "product_attribute_id" => "combinations",
                "id_address_delivery" => "addresses",
                _ => null,
            };
            if (target is not null)
            {
                xlinks[field] = target;
            }
        }

        return new WsAssociation(name, item, fields, writable, xlinks);
    }

    private static WsResource R(string plural, string singular, string className, string description, WsField[] fields, WsAssociation[]? associations = null, string[]? forbidden = null) =>
        new(plural, singular, className, description, fields, associations ?? [], (forbidden ?? []).ToFrozenSet(StringComparer.Ordinal));

    public static readonly FrozenDictionary<string, WsResource> All = new WsResource[]
    {
        R("addresses", "address", "Address", "The Customer, Brand and Customer addresses",
        [
            Id("id_customer", "customers"), Id("id_manufacturer", "manufacturers"), Id("id_supplier", "suppliers"), Id("id_warehouse", "warehouses"),
            Id("id_country", "countries", required: true), Id("id_state", "states"),
            F("alias", validate: "isGenericName", required: true, size: 32), F("company", validate: "isGenericName", size: 255),
            F("lastname", validate: "isName", required: true, size: 255), F("firstname", validate: "isName", required: true, size: 255),
            F("vat_number", validate: "isGenericName"), F("address1", validate: "isAddress", required: true, size: 128), F("address2", validate: "isAddress", size: 128),
            F("postcode", validate: "isPostCode", size: 12), F("city", validate: "isCityName", required: true, size: 64), F("other", validate: "isMessage", size: 300),
            F("phone", validate: "isPhoneNumber", size: 32), F("phone_mobile", validate: "isPhoneNumber", size: 32), F("dni", validate: "isDniLite", size: 16),
            Bool("deleted"), DateAdd(), DateUpd(),
        ]),
        R("carriers", "carrier", "Carrier", "The Carriers",
        [
            Bool("deleted"), Bool("is_module"), Id("id_tax_rules_group", "tax_rule_groups"), F("id_reference", WsType.Int),
            F("name", validate: "isCarrierName", required: true, size: 64), Bool("active", required: true), Bool("is_free"),
            F("url", validate: "isAbsoluteUrl"), F("shipping_method", WsType.Int, "isUnsignedInt"),
            F("delay", validate: "isGenericName", size: 512, lang: true),
        ]),
        R("carts", "cart", "Cart", "Customer's carts",
        [
            Id("id_address_delivery", "addresses"), Id("id_address_invoice", "addresses"), Id("id_currency", "currencies", required: true),
            Id("id_customer", "customers"), Id("id_guest", "guests"), Id("id_lang", "languages", required: true),
            Id("id_shop_group", "shop_groups"), Id("id_shop", "shops"), Id("id_carrier", "carriers"),
            Bool("recyclable"), Bool("gift"), F("gift_message", validate: "isMessage"), Bool("mobile_theme"),
            F("delivery_option"), F("secure_key", validate: "isMd5", size: 32), Bool("allow_seperated_package"),
            DateAdd(), DateUpd(),
        ],
        [Assoc("cart_rows", "cart_row", writable: true, "id_product", "id_product_attribute", "id_address_delivery", "id_customization", "quantity")]),
        R("combinations", "combination", "Combination", "The product combinations",
        [
            Id("id_product", "products", required: true), F("location", validate: "isString", size: 255),
            F("ean13", validate: "isEan13", size: 13), F("isbn", validate: "isIsbn", size: 32), F("upc", validate: "isUpc", size: 12), F("mpn", validate: "isMpn", size: 40),
            F("reference", validate: "isReference", size: 64), F("supplier_reference", validate: "isReference", size: 64),
            Price("wholesale_price"), Price("price", validate: "isNegativePrice"), Price("ecotax"), Price("weight", validate: "isFloat"),
            Price("unit_price_impact", validate: "isNegativePrice"), F("minimal_quantity", WsType.Int, "isPositiveInt", required: true),
            Bool("default_on"), F("available_date", WsType.Date, "isDateFormat"),
        ]),
        R("configurations", "configuration", "Configuration", "Shop configuration",
        [
            F("value"), F("name", validate: "isConfigName", required: true, size: 254),
            Id("id_shop_group", "shop_groups"), Id("id_shop", "shops"), DateAdd(), DateUpd(),
        ]),
        R("countries", "country", "Country", "The countries",
        [
            Id("id_zone", "zones", required: true), Id("id_currency", "currencies"), F("call_prefix", WsType.Int, "isInt"),
            F("iso_code", validate: "isLanguageIsoCode", required: true, size: 3), Bool("active"),
            Bool("contains_states", required: true), Bool("need_identification_number", required: true), Bool("need_zip_code"),
            F("zip_code_format", validate: "isZipCodeFormat", size: 12), Bool("display_tax_label", required: true),
            F("name", validate: "isGenericName", required: true, size: 64, lang: true),
        ]),
        R("currencies", "currency", "Currency", "The currencies",
        [
            F("name", validate: "isGenericName", size: 255, lang: true), F("iso_code", validate: "isLanguageIsoCode", required: true, size: 3),
            F("numeric_iso_code", validate: "isNumericIsoCode", size: 3), F("precision", WsType.Int, "isInt"),
            Price("conversion_rate", required: true, validate: "isUnsignedFloat"), Bool("deleted"), Bool("active"),
        ]),
        R("customers", "customer", "Customer", "The e-shop's customers",
        [
            Id("id_default_group", "groups"), Id("id_lang", "languages"), F("newsletter_date_add", WsType.Date, "isDate"),
            F("ip_registration_newsletter", validate: "isGenericName"), F("last_passwd_gen", WsType.Date, writable: false),
            F("secure_key", validate: "isMd5", size: 32), Bool("deleted"),
            F("passwd", validate: "isPlaintextPassword", required: true, size: 255),
            F("lastname", validate: "isCustomerName", required: true, size: 255), F("firstname", validate: "isCustomerName", required: true, size: 255),
            F("email", validate: "isEmail", required: true, size: 255), Id("id_gender", "genders"), F("birthday", WsType.Date, "isBirthDate"),
            Bool("newsletter"), Bool("optin"), F("website", validate: "isUrl"), F("company", validate: "isGenericName", size: 255),
            F("siret", validate: "isGenericName"), F("ape", validate: "isApe"), Price("outstanding_allow_amount", validate: "isFloat"),
            Bool("show_public_prices"), F("id_risk", WsType.Int, "isUnsignedInt"), F("max_payment_days", WsType.Int, "isUnsignedInt"),
            Bool("active"), F("note", validate: "isCleanHtml", size: 65000), Bool("is_guest"), Id("id_shop", "shops"), Id("id_shop_group", "shop_groups"),
            DateAdd(), DateUpd(),
        ],
        [Assoc("groups", "group", writable: true, "id")]),
        R("languages", "language", "Language", "Shop languages",
        [
            F("name", validate: "isGenericName", required: true, size: 32), F("iso_code", validate: "isLanguageIsoCode", required: true, size: 2),
            F("locale", size: 5), F("language_code", validate: "isLanguageCode", size: 5), Bool("active"), Bool("is_rtl"),
            F("date_format_lite", required: true, size: 32), F("date_format_full", required: true, size: 32),
        ]),
        R("order_carriers", "order_carrier", "OrderCarrier", "The Order carriers",
        [
            Id("id_order", "orders", required: true), Id("id_carrier", "carriers", required: true), Id("id_order_invoice", "order_invoices"),
            Price("weight", validate: "isFloat"), Price("shipping_cost_tax_excl", validate: "isFloat"), Price("shipping_cost_tax_incl", validate: "isFloat"),
            F("tracking_number", validate: "isTrackingNumber"), DateAdd(),
        ]),
        R("order_histories", "order_history", "OrderHistory", "The Order histories",
        [
            Id("id_employee", "employees"), Id("id_order_state", "order_states", required: true), Id("id_order", "orders", required: true), DateAdd(),
        ]),
        R("order_payments", "order_payment", "OrderPayment", "The Order payments",
        [
            F("order_reference", validate: "isAnything", size: 9), Id("id_currency", "currencies", required: true),
            Price("amount", required: true, validate: "isNegativePrice"), F("payment_method", validate: "isGenericName"),
            Price("conversion_rate", validate: "isFloat"), F("transaction_id", validate: "isAnything", size: 254),
            F("card_number", validate: "isAnything", size: 254), F("card_brand", validate: "isAnything", size: 254),
            F("card_expiration", validate: "isAnything", size: 254), F("card_holder", validate: "isAnything", size: 254), DateAdd(),
        ]),
        R("order_states", "order_state", "OrderState", "The Order statuses",
        [
            Bool("unremovable"), Bool("delivery"), Bool("hidden"), Bool("send_email"), F("module_name", validate: "isModuleName"),
            Bool("invoice"), F("color", validate: "isColor"), Bool("logable"), Bool("shipped"), Bool("paid"), Bool("pdf_delivery"), Bool("pdf_invoice"), Bool("deleted"),
            F("name", validate: "isGenericName", required: true, size: 64, lang: true), F("template", validate: "isTplName", size: 64, lang: true),
        ]),
        R("orders", "order", "Order", "The Customers orders",
        [
            Id("id_address_delivery", "addresses", required: true), Id("id_address_invoice", "addresses", required: true),
            Id("id_cart", "carts", required: true), Id("id_currency", "currencies", required: true), Id("id_lang", "languages", required: true),
            Id("id_customer", "customers", required: true), Id("id_carrier", "carriers", required: true),
            F("current_state", WsType.Int, xlink: "order_states"), F("module", validate: "isModuleName", required: true),
            F("invoice_number", WsType.Int), F("invoice_date", WsType.Date), F("delivery_number", WsType.Int), F("delivery_date", WsType.Date),
            Bool("valid"), DateAdd(), DateUpd(), F("shipping_number", validate: "isTrackingNumber"),
            Id("id_shop_group", "shop_groups"), Id("id_shop", "shops"), F("secure_key", validate: "isMd5"),
            F("payment", validate: "isGenericName", required: true), Bool("recyclable"), Bool("gift"), F("gift_message", validate: "isMessage"), Bool("mobile_theme"),
            Price("total_discounts", validate: "isFloat"), Price("total_discounts_tax_incl", validate: "isFloat"), Price("total_discounts_tax_excl", validate: "isFloat"),
            Price("total_paid", required: true), Price("total_paid_tax_incl"), Price("total_paid_tax_excl"), Price("total_paid_real", required: true),
            Price("total_products", required: true), Price("total_products_wt", required: true),
            Price("total_shipping"), Price("total_shipping_tax_incl"), Price("total_shipping_tax_excl"), Price("carrier_tax_rate", validate: "isFloat"),
            Price("total_wrapping"), Price("total_wrapping_tax_incl"), Price("total_wrapping_tax_excl"),
            F("round_mode", WsType.Int, "isUnsignedId"), F("round_type", WsType.Int, "isUnsignedId"),
            Price("conversion_rate", required: true, validate: "isFloat"), F("reference", validate: "isString"),
        ],
        [Assoc("order_rows", "order_row", writable: false, "id", "product_id", "product_attribute_id", "product_quantity", "product_name", "product_reference", "product_ean13", "product_upc", "product_price", "unit_price_tax_incl", "unit_price_tax_excl")]),
        R("products", "product", "Product", "The products",
        [
            Id("id_manufacturer", "manufacturers"), Id("id_supplier", "suppliers"), Id("id_category_default", "categories"),
            Id("id_default_combination", "combinations"), Id("id_tax_rules_group", "tax_rule_groups"), F("type"),
            F("reference", validate: "isReference", size: 64), F("supplier_reference", validate: "isReference", size: 64),
            F("ean13", validate: "isEan13", size: 13), F("upc", validate: "isUpc", size: 12), F("mpn", validate: "isMpn", size: 40),
            F("state", WsType.Int), F("minimal_quantity", WsType.Int, "isPositiveInt"), Price("price", required: true), Price("wholesale_price"),
            Bool("active"), Bool("available_for_order"), DateAdd(), DateUpd(),
            F("name", validate: "isCatalogName", required: true, size: 128, lang: true), F("link_rewrite", validate: "isLinkRewrite", size: 128, lang: true),
        ],
        [Assoc("combinations", "combination", writable: true, "id"), Assoc("stock_availables", "stock_available", writable: false, "id", "id_product_attribute")]),
        R("specific_prices", "specific_price", "SpecificPrice", "Specific price management",
        [
            Id("id_shop_group", "shop_groups"), Id("id_shop", "shops", required: true), Id("id_cart", "carts", required: true),
            Id("id_product", "products", required: true), Id("id_product_attribute", "combinations"),
            Id("id_currency", "currencies", required: true), Id("id_country", "countries", required: true), Id("id_group", "groups", required: true),
            Id("id_customer", "customers", required: true), Id("id_specific_price_rule", "specific_price_rules"),
            Price("price", required: true, validate: "isNegativePrice"), F("from_quantity", WsType.Int, "isUnsignedInt", required: true),
            Price("reduction", required: true), Bool("reduction_tax", required: true), F("reduction_type", validate: "isReductionType", required: true),
            F("from", WsType.Date, "isDateFormat", required: true), F("to", WsType.Date, "isDateFormat", required: true),
        ]),
        R("states", "state", "State", "The available states of countries",
        [
            Id("id_zone", "zones", required: true), Id("id_country", "countries", required: true),
            F("iso_code", validate: "isStateIsoCode", required: true, size: 7), F("name", validate: "isGenericName", required: true, size: 80), Bool("active"),
        ]),
        R("stock_availables", "stock_available", "StockAvailable", "Available quantities",
        [
            Id("id_product", "products", required: true), Id("id_product_attribute", "combinations", required: true),
            Id("id_shop", "shops"), Id("id_shop_group", "shop_groups"), F("quantity", WsType.Int, "isInt", required: true),
            Bool("depends_on_stock", required: true), F("out_of_stock", WsType.Int, "isInt", required: true), F("location", validate: "isString", size: 255),
        ],
        forbidden: ["POST", "DELETE"]),
        R("taxes", "tax", "Tax", "The tax rate",
        [
            Price("rate", required: true, validate: "isFloat"), Bool("active"), Bool("deleted"),
            F("name", validate: "isGenericName", required: true, size: 32, lang: true),
        ]),
        R("tax_rules", "tax_rule", "TaxRule", "Tax rules entity",
        [
            Id("id_tax_rules_group", "tax_rule_groups", required: true), Id("id_state", "states"), Id("id_country", "countries", required: true),
            F("zipcode_from", validate: "isPostCode"), F("zipcode_to", validate: "isPostCode"), Id("id_tax", "taxes", required: true),
            F("behavior", WsType.Int, "isUnsignedInt"), F("description", validate: "isString", size: 100),
        ]),
        R("tax_rule_groups", "tax_rule_group", "TaxRulesGroup", "Tax rule groups",
        [
            F("name", validate: "isGenericName", required: true, size: 64), Bool("active"), Bool("deleted"), DateAdd(), DateUpd(),
        ]),
    }.ToFrozenDictionary(r => r.Plural, StringComparer.Ordinal);

    /// <summary>Every resource name a real 1.7/8 shop lists (for the "Did you mean" error, code 27).</summary>
    public static readonly IReadOnlyList<string> RealResourceNames =
    [
        "addresses", "attachments", "carriers", "cart_rules", "carts", "categories", "combinations", "configurations", "contacts",
        "content_management_system", "countries", "currencies", "customer_messages", "customer_threads", "customers", "customizations",
        "deliveries", "employees", "groups", "guests", "image_types", "images", "languages", "manufacturers", "messages", "order_carriers",
        "order_cart_rules", "order_details", "order_histories", "order_invoices", "order_payments", "order_slip", "order_states", "orders",
        "price_ranges", "product_customization_fields", "product_feature_values", "product_features", "product_option_values",
        "product_options", "product_suppliers", "products", "search", "shop_groups", "shop_urls", "shops", "specific_price_rules",
        "specific_prices", "states", "stock_availables", "stock_movement_reasons", "stock_movements", "stocks", "stores", "suppliers",
        "supply_order_details", "supply_order_histories", "supply_order_receipt_histories", "supply_order_states", "supply_orders", "tags",
        "tax_rule_groups", "tax_rules", "taxes", "translated_configurations", "warehouse_product_locations", "warehouses", "weight_ranges", "zones",
    ];
}
