using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Diagnostics;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Connector.Stores.Shopify;

/// <summary>
/// Shopify Admin GraphQL (store-apis.md §2): variants by SKU (§2.3), orders by <c>source_identifier</c> (§2.4) and
/// <c>orderCreate</c> (§2.2). Every call first takes its cost from the store's <see cref="ShopifyBudget"/>, waiting in-process
/// for the bucket to hold it (§2.5), so the store's budget is used to the full and not exceeded; a THROTTLED answer (another
/// consumer of the same bucket) corrects the budget and is retried by a Polly pipeline, which waits on the budget again;
/// nothing else is retried here, because <c>orderCreate</c> has no idempotency key: a lost answer is settled by the
/// processor looking the order up before it creates again.
/// </summary>
public sealed partial class ShopifyClient(
    HttpClient http, IOptions<ShopifyOptions> options, ResiliencePipelineProvider<string> pipelines, ShopifyBudget budget, ILogger<ShopifyClient> logger) : IStoreConnection, IStoreCatalog, IStoreOrderWriter, IStoreChangeFeed
{
    public const string ThrottlePipeline = "shopify-throttle";

    public string Platform => StorePlatforms.Shopify;

    public IReadOnlyDictionary<string, string[]> ValidateConnection(StoreConnection connection, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var errors = new Dictionary<string, string[]>();
        if (isNew && string.IsNullOrWhiteSpace(connection.AccessToken))
        {
            errors["store.accessToken"] = ["Required: the Admin API access token of the custom app (shpat_...)."];
        }

        return errors;
    }

    public async Task VerifyConnectionAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        var data = await QueryAsync(shop, ShopifyQueries.ShopInfo, new { }, cancellationToken);
        if (data?["shop"]?["name"] is null)
        {
            throw new StoreRejectedException("Shopify answered without the shop's details; check the store address.");
        }
    }

    public async Task<IReadOnlyList<StoreProduct>> FindProductsBySkuAsync(StoreAccess shop, string sku, CancellationToken cancellationToken)
    {
        var data = await QueryAsync(shop, ShopifyQueries.FindVariantsBySku, new { query = $"sku:{Quote(sku)}" }, cancellationToken);
        var nodes = data?["productVariants"]?["nodes"]?.AsArray() ?? [];

        // Shopify search is tokenised and case-insensitive (§2.3): only an exact SKU counts.
        return nodes
            .Where(n => string.Equals((string?)n?["sku"], sku, StringComparison.Ordinal))
            .Select(n => new StoreProduct((string)n!["id"]!, sku, (string?)n["product"]?["title"] ?? (string?)n["title"]))
            .ToList();
    }

    public async Task<StoreOrderRef?> FindImportedOrderAsync(StoreAccess shop, string tiktokOrderId, CancellationToken cancellationToken)
    {
        var data = await QueryAsync(shop, ShopifyQueries.FindOrderBySource, new { query = $"source_identifier:{Quote(tiktokOrderId)}" }, cancellationToken);
        var match = (data?["orders"]?["nodes"]?.AsArray() ?? [])
            .FirstOrDefault(n => string.Equals((string?)n?["sourceIdentifier"], tiktokOrderId, StringComparison.Ordinal));
        return match is null ? null : ToRef(shop, match);
    }

    public async Task<StoreOrderRef> CreateOrderAsync(StoreAccess shop, StoreOrderDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var variables = new JsonObject
        {
            ["order"] = BuildOrderInput(draft),
            ["options"] = new JsonObject
            {
                ["inventoryBehaviour"] = draft.InventoryBehaviour,
                ["sendReceipt"] = false,
                ["sendFulfillmentReceipt"] = false,
            },
        };
        var data = await QueryAsync(shop, ShopifyQueries.OrderCreate, variables, cancellationToken);
        var payload = data?["orderCreate"];
        var errors = payload?["userErrors"]?.AsArray() ?? [];
        if (errors.Count > 0)
        {
            var text = string.Join("; ", errors.Select(e => $"{(string?)e?["message"]}{((string?)e?["code"] is { } code ? $" ({code})" : "")}"));
            throw new StoreRejectedException($"Shopify refused the order: {text}");
        }

        var order = payload?["order"] ?? throw new StoreRejectedException("Shopify answered orderCreate without an order.");
        return ToRef(shop, order);
    }

    public async Task CancelOrderAsync(StoreAccess shop, string storeOrderId, string reason, bool byBuyer, CancellationToken cancellationToken)
    {
        var state = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        if (state?["cancelledAt"] is JsonValue)
        {
            return;
        }

        var data = await QueryAsync(shop, ShopifyQueries.OrderCancel,
            new { orderId = storeOrderId, reason = byBuyer ? "CUSTOMER" : "OTHER", staffNote = Truncate($"Cancelled on TikTok Shop: {reason}", 255) }, cancellationToken);
        var errors = data?["orderCancel"]?["orderCancelUserErrors"]?.AsArray() ?? [];
        if (errors.Count > 0)
        {
            // A concurrent delivery may have cancelled it a moment ago: that is the outcome we want.
            if ((await OrderStateAsync(shop, storeOrderId, cancellationToken))?["cancelledAt"] is JsonValue)
            {
                return;
            }

            throw new StoreRejectedException($"Shopify refused to cancel the order: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}");
        }
    }

    public async Task FulfillAsync(StoreAccess shop, string storeOrderId, string? trackingNumber, string? carrier, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? shippedUnits = null)
    {
        var state = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        var orders = state?["fulfillmentOrders"]?["nodes"]?.AsArray() ?? [];
        var groups = new JsonArray();
        var stillToFulfil = shippedUnits?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (stillToFulfil is not null)
        {
            // Shopify already shows some units fulfilled (an earlier partial shipment): only the difference is new.
            foreach (var item in orders.SelectMany(fo => fo?["lineItems"]?["nodes"]?.AsArray() ?? []))
            {
                if ((string?)item?["sku"] is { } sku && stillToFulfil.TryGetValue(sku, out var left))
                {
                    stillToFulfil[sku] = left - (((int?)item!["totalQuantity"] ?? 0) - ((int?)item["remainingQuantity"] ?? 0));
                }
            }
        }

        foreach (var fulfillmentOrder in orders)
        {
            var lines = new JsonArray();
            foreach (var item in fulfillmentOrder?["lineItems"]?["nodes"]?.AsArray() ?? [])
            {
                var remaining = (int?)item?["remainingQuantity"] ?? 0;
                var quantity = stillToFulfil is null ? remaining
                    : (string?)item?["sku"] is { } sku && stillToFulfil.TryGetValue(sku, out var left) ? Math.Min(remaining, left) : 0;
                if (quantity > 0)
                {
                    lines.Add(new JsonObject { ["id"] = (string)item!["id"]!, ["quantity"] = quantity });
                    if (stillToFulfil is not null)
                    {
                        stillToFulfil[(string)item["sku"]!] -= quantity;
                    }
                }
            }

            if (lines.Count > 0)
            {
                groups.Add(new JsonObject { ["fulfillmentOrderId"] = (string)fulfillmentOrder!["id"]!, ["fulfillmentOrderLineItems"] = lines });
            }
        }

        if (groups.Count == 0)
        {
            return;
        }

        var fulfillment = new JsonObject { ["lineItemsByFulfillmentOrder"] = groups, ["notifyCustomer"] = false };
        if (!string.IsNullOrWhiteSpace(trackingNumber))
        {
            fulfillment["trackingInfo"] = new JsonObject { ["number"] = trackingNumber, ["company"] = carrier };
        }

        var data = await QueryAsync(shop, ShopifyQueries.FulfillmentCreate, new JsonObject { ["fulfillment"] = fulfillment }, cancellationToken);
        ThrowOnUserErrors(data?["fulfillmentCreate"], "fulfil");
    }

    public async Task CompleteAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken)
    {
        var state = await OrderStateAsync(shop, storeOrderId, cancellationToken);
        if (state is null || (bool?)state["closed"] == true || state["cancelledAt"] is JsonValue)
        {
            return;
        }

        var data = await QueryAsync(shop, ShopifyQueries.OrderClose, new { input = new { id = storeOrderId } }, cancellationToken);
        ThrowOnUserErrors(data?["orderClose"], "close");
    }

    public async Task UpdateShippingAddressAsync(StoreAccess shop, string storeOrderId, StoreAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var input = new JsonObject { ["id"] = storeOrderId, ["shippingAddress"] = AddressInput(address) };
        var data = await QueryAsync(shop, ShopifyQueries.OrderUpdateAddress, new JsonObject { ["input"] = input }, cancellationToken);
        ThrowOnUserErrors(data?["orderUpdate"], "update the shipping address of");
    }

    private async Task<JsonNode?> OrderStateAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken) =>
        (await QueryAsync(shop, ShopifyQueries.OrderState, new { id = storeOrderId }, cancellationToken))?["order"];

    private static void ThrowOnUserErrors(JsonNode? payload, string action)
    {
        var errors = payload?["userErrors"]?.AsArray() ?? [];
        if (errors.Count > 0)
        {
            throw new StoreRejectedException($"Shopify refused to {action} the order: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}");
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    internal static JsonObject BuildOrderInput(StoreOrderDraft draft)
    {
        JsonObject Money(decimal amount) => new()
        {
            ["shopMoney"] = new JsonObject { ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["currencyCode"] = draft.Currency },
        };

        var order = new JsonObject
        {
            ["email"] = draft.Email,
            ["currency"] = draft.Currency,
            ["sourceName"] = "tiktok_shop",
            ["sourceIdentifier"] = draft.TikTokOrderId,
            ["processedAt"] = draft.ProcessedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["financialStatus"] = "PAID",
            ["taxesIncluded"] = false,
            ["tags"] = new JsonArray(draft.Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["lineItems"] = new JsonArray(draft.Lines.Select(l => (JsonNode)new JsonObject
            {
                ["variantId"] = l.ProductId,
                ["quantity"] = l.Quantity,
                ["priceSet"] = Money(l.UnitPrice),
            }).ToArray()),
            ["shippingLines"] = new JsonArray(new JsonObject
            {
                ["title"] = draft.ShippingTitle,
                ["priceSet"] = Money(draft.ShippingPrice),
            }),
            // A matching successful sale keeps the financial status from being recomputed to pending (§2.7).
            ["transactions"] = new JsonArray(new JsonObject
            {
                ["kind"] = "SALE",
                ["status"] = "SUCCESS",
                ["gateway"] = "TikTok Shop",
                ["amountSet"] = Money(draft.TotalPaid),
            }),
            ["customAttributes"] = new JsonArray(new JsonObject { ["key"] = "tiktok_order_id", ["value"] = draft.TikTokOrderId }),
        };
        if (draft.Note is not null)
        {
            order["note"] = draft.Note;
        }

        if (draft.ShippingAddress is { } a)
        {
            order["shippingAddress"] = AddressInput(a);
        }

        return order;
    }

    private static JsonObject AddressInput(StoreAddress a) => new()
    {
        ["firstName"] = a.FirstName,
        ["lastName"] = a.LastName,
        ["address1"] = a.Address1,
        ["address2"] = a.Address2,
        ["city"] = a.City,
        ["provinceCode"] = a.ProvinceCode,
        ["zip"] = a.Zip,
        ["countryCode"] = a.CountryCode,
        ["phone"] = a.Phone,
    };

    private async Task<JsonNode?> QueryAsync(StoreAccess shop, string query, object variables, CancellationToken cancellationToken)
    {
        var endpoint = new Uri($"{shop.BaseUrl.TrimEnd('/')}/admin/api/{options.Value.ApiVersion}/graphql.json");
        var pipeline = pipelines.GetPipeline<JsonNode?>(ThrottlePipeline);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult<JsonNode?>(await state.Self.BudgetedPostAsync(state.Shop, state.Endpoint, state.Query, state.Variables, ctx.CancellationToken));
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ctx.CancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<JsonNode?>(e);
                    }
                },
                context,
                (Self: this, Shop: shop, Endpoint: endpoint, Query: query, Variables: variables));
            outcome.ThrowIfException();
            var body = outcome.Result;
            if (ShopifyThrottle.IsThrottled(body))
            {
                throw new StoreUnavailableException("Shopify kept throttling the requests (THROTTLED); the order will be retried.");
            }

            if (body?["errors"] is JsonArray { Count: > 0 } errors)
            {
                var text = string.Join("; ", errors.Select(e => (string?)e?["message"]));
                throw new StoreRejectedException($"Shopify rejected the request: {text}");
            }

            return body?["data"];
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One request within the store's budget: waits for its cost, then settles the reservation with what Shopify charged.</summary>
    private async Task<JsonNode?> BudgetedPostAsync(StoreAccess shop, Uri endpoint, string query, object variables, CancellationToken cancellationToken)
    {
        var storeBudget = budget.For(shop);
        var cost = budget.CostOf(query);
        var maxWait = options.Value.MaxBudgetWait;
        if (!await storeBudget.AcquireAsync(cost, maxWait, cancellationToken))
        {
            CostLog.BudgetBooked(logger, shop.ShopId, StorePlatforms.Shopify, maxWait);
            throw new StoreUnavailableException($"Shopify's request budget for this store is booked for more than {maxWait.TotalSeconds:0} s; the work will be retried later.");
        }

        var body = await PostAsync(shop, endpoint, query, variables, cancellationToken);
        budget.Settle(storeBudget, query, cost, body);
        return body;
    }

    private async Task<JsonNode?> PostAsync(StoreAccess shop, Uri endpoint, string query, object variables, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        request.Headers.Add("X-Shopify-Access-Token", StoreAnswers.HeaderValue(shop.AccessToken, "Shopify", "store.accessToken"));
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (StoreAnswers.FromTransport(e, "Shopify", shop.BaseUrl, cancellationToken) is { } failure)
        {
            throw failure;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw StoreAnswers.Redirected("Shopify", response);
            }

            if (status is 401 or 403)
            {
                throw new StoreRejectedException($"Shopify refused the access token (HTTP {status}); reconnect the store.");
            }

            if (status == 404)
            {
                throw new StoreRejectedException(
                    $"No Shopify Admin API at {StoreAnswers.Authority(shop.BaseUrl)} for version {options.Value.ApiVersion} (HTTP 404).");
            }

            if (status is 429 or >= 500)
            {
                if (status == 429 && response.Headers.RetryAfter?.Delta is { } retryAfter)
                {
                    budget.For(shop).Pause(retryAfter); // the generic signal (§2.5): no call to this store before then
                }

                throw new StoreUnavailableException($"Shopify answered HTTP {status}.");
            }

            try
            {
                text = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception e) when (StoreAnswers.FromTransport(e, "Shopify", shop.BaseUrl, cancellationToken) is { } failure)
            {
                throw failure;
            }

            // A GraphQL answer is a JSON object (data and/or errors): a login page, an empty 200 or a JSON bomb is not Shopify.
            var node = StoreAnswers.ParseJson("Shopify", "the Admin API's JSON", status, response.Content.Headers.ContentType?.MediaType, text, shop.AccessToken);
            if (node is not JsonObject answer || (!answer.ContainsKey("data") && !answer.ContainsKey("errors")))
            {
                throw StoreAnswers.Unexpected("Shopify", "the Admin API's JSON", status, response.Content.Headers.ContentType?.MediaType, text, null, shop.AccessToken);
            }

            if (ShopifyThrottle.IsThrottled(node))
            {
                Log.StoreThrottled(logger, shop.ShopId, ShopifyThrottle.Delay(node, options.Value.MaxThrottleDelay));
            }

            return node;
        }
    }

    private static StoreOrderRef ToRef(StoreAccess shop, JsonNode order)
    {
        var id = (string)order["id"]!;
        var numeric = id[(id.LastIndexOf('/') + 1)..];
        return new StoreOrderRef(id, (string?)order["name"], $"{shop.BaseUrl.TrimEnd('/')}/admin/orders/{numeric}");
    }

    /// <summary>Search syntax value: quoted, with quotes and backslashes escaped.</summary>
    internal static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
