using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>The PrestaShop connection: the fields it needs, and a check that the key, its permissions, the states, the carrier and the payment module are usable.</summary>
public sealed class PrestaShopConnection(PrestaShopWebservice ws, PrestaShopConfigReader configs) : IStoreConnection
{
    private static readonly string[] RequiredResources =
    [
        "products", "combinations", "configurations", "countries", "states", "currencies", "carriers", "taxes", "tax_rules",
        "customers", "addresses", "carts", "specific_prices", "orders", "order_histories", "order_carriers",
    ];

    public string Platform => StorePlatforms.PrestaShop;

    public IReadOnlyDictionary<string, string[]> ValidateConnection(StoreConnection connection, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var errors = PrestaShopStoreOptions.Validate(connection.Options);
        if (isNew && string.IsNullOrWhiteSpace(connection.ApiKey))
        {
            errors["store.apiKey"] = ["Required: the webservice key (32 characters) from Advanced Parameters > Webservice."];
        }
        else if (connection.ApiKey is { } key && (key.Length != 32 || !key.All(char.IsAsciiLetterOrDigit)))
        {
            errors["store.apiKey"] = ["A PrestaShop webservice key is 32 letters or digits."];
        }

        return errors;
    }

    public async Task VerifyConnectionAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var storeOptions = PrestaShopStoreOptions.Parse(shop.OptionsJson);
        var answer = await ws.SendRawAsync(shop, HttpMethod.Get, string.Empty, null, storeOptions.AuthInQuery, cancellationToken);
        if (answer.Status == 401 && answer.Errors.Any(e => e.Code == 16) && !storeOptions.AuthInQuery)
        {
            // The key was sent in the Authorization header and PrestaShop saw none: the server dropped the header.
            var probe = await ws.SendRawAsync(shop, HttpMethod.Get, string.Empty, null, authInQuery: true, cancellationToken);
            throw new StoreRejectedException(probe.Status is >= 200 and < 300
                ? "PrestaShop accepts the webservice key only in the URL: " + StrippedHeaderFix
                : $"PrestaShop received no webservice key ({probe.ErrorText}). " + StrippedHeaderFix);
        }

        var granted = ws.ParseOrThrow(shop, answer, "GET", "api") switch
        {
            JsonArray names => names.Select(PrestaShopXml.Str).ToHashSet(StringComparer.Ordinal),
            JsonObject o => o.Select(p => p.Key).ToHashSet(StringComparer.Ordinal),

            // The Webservice's root always lists the resources the key may use; an empty 200 or a bare value is not PrestaShop.
            _ => throw StoreAnswers.Unexpected("PrestaShop", "the Webservice's list of resources", answer.Status, answer.ContentType, answer.Body, null, Secrets(shop)),
        };
        var missing = RequiredResources.Where(r => granted.Count > 0 && !granted.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            throw new StoreRejectedException($"The webservice key has no access to {string.Join(", ", missing)}. {PermissionsFix}");
        }

        configs.Forget(shop);
        var config = await configs.GetAsync(shop, cancellationToken);
        _ = config.State(WsPayment);
        _ = config.State(PaymentError);
        _ = config.State(storeOptions.OrderStateOnImport);
        var carrierId = storeOptions.IdCarrier ?? config.DefaultCarrierId;
        if (!config.Carriers.TryGetValue(carrierId, out var carrier) || !carrier.Active || carrier.Deleted)
        {
            throw new StoreRejectedException($"Carrier {carrierId} is not an active carrier in this PrestaShop shop; set store.options.idCarrier to one (Shipping > Carriers).");
        }

        await VerifyPaymentModuleAsync(shop, storeOptions.PaymentModule, cancellationToken);
    }

    /// <summary>
    /// The Webservice has no modules resource; a module's front controller answers (302 to the checkout) only when the
    /// module is installed and active, and "Page not found" otherwise (the Dispatcher), which is what a shop shows anyone.
    /// </summary>
    private async Task VerifyPaymentModuleAsync(StoreAccess shop, string module, CancellationToken cancellationToken)
    {
        var url = new Uri($"{shop.BaseUrl.TrimEnd('/')}/index.php?{Q(("fc", "module"), ("module", module), ("controller", "validation"))}");
        var status = await ws.PageStatusAsync(shop, url, cancellationToken);
        if (status == 404)
        {
            throw new StoreRejectedException(
                $"The payment module '{module}' is not installed and active in PrestaShop (Modules > Module Manager), so PrestaShop cannot create orders with it. "
                + "Enable it, or set store.options.paymentModule to an active payment module with a validation page (e.g. ps_checkpayment or ps_wirepayment).");
        }

        if (status >= 500)
        {
            throw new StoreUnavailableException($"PrestaShop answered HTTP {status} when checking the payment module '{module}'.");
        }
    }
}
