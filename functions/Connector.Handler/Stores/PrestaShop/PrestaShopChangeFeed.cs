using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// Store → TikTok: the merchant's shipments and cancellations of Connector's orders, read back through the Webservice
/// (store-apis.md §1.2 list parameters, §1.6 tracking, §1.7 states).
/// <para>
/// validateOrder copies the cart's gift_message to the order, so Connector's orders are those whose gift_message starts
/// with the marker: one filtered list finds the changed ones and names their TikTok orders, with no look-up per order.
/// </para>
/// </summary>
public sealed class PrestaShopChangeFeed(
    PrestaShopWebservice ws, PrestaShopConfigReader configs, IOptions<PrestaShopOptions> options, TimeProvider time) : IStoreChangeFeed
{
    private const string ChangedOrderFields = "[id,date_upd,gift_message]";

    public async Task<StoreChangePage> ListChangedOrdersAsync(StoreAccess shop, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var config = await configs.GetAsync(shop, cancellationToken);
        var size = options.Value.ChangesPageSize;

        // A bound past anything the shop can have written yet, with a day to spare for a shop clock running fast.
        var to = PrestaShopTime.Local(time.GetUtcNow().AddDays(1), config.TimeZone);
        var rows = new List<JsonObject>();
        DateTime from;
        if (ChangeCursor.TryParse(pageToken, out var cursor))
        {
            // Keyset paging on (date_upd, id): the rest of the cursor's second, then what follows it. An order changed
            // meanwhile moves past the cursor (and comes again), where an offset would shift and skip one.
            rows.AddRange(await ChangedOrdersAsync(shop, cursor.DateUpd, cursor.DateUpd, cursor.Id, size, cancellationToken));
            from = cursor.DateUpd.AddSeconds(1);
        }
        else
        {
            // Whole seconds, bounds included: a change in the second of `since` is listed again rather than missed.
            from = PrestaShopTime.Local(since, config.TimeZone);
        }

        if (rows.Count < size && from <= to)
        {
            rows.AddRange(await ChangedOrdersAsync(shop, from, to, afterId: null, size - rows.Count, cancellationToken));
        }

        var changes = new List<StoreOrderChange>(rows.Count);
        foreach (var row in rows)
        {
            var message = PrestaShopXml.Str(row["gift_message"]);
            var tiktokOrderId = message.StartsWith(MarkerPrefix, StringComparison.Ordinal) ? message[MarkerPrefix.Length..].Trim() : string.Empty;

            // LIKE ignores case; only Connector's exact marker counts.
            if (tiktokOrderId.Length == 0 || tiktokOrderId.Any(char.IsWhiteSpace))
            {
                continue;
            }

            var updatedAt = PrestaShopTime.TryParseLocal(PrestaShopXml.Str(row["date_upd"]), out var local)
                ? PrestaShopTime.Instant(local, config.TimeZone)
                : since;
            changes.Add(new StoreOrderChange(PrestaShopXml.Format(PrestaShopXml.Long(row["id"])), tiktokOrderId, updatedAt));
        }

        var last = rows.Count == size ? rows[^1] : null;
        var next = last is not null && PrestaShopTime.TryParseLocal(PrestaShopXml.Str(last["date_upd"]), out var lastUpd)
            ? new ChangeCursor(lastUpd, PrestaShopXml.Long(last["id"])).ToString()
            : null;
        return new StoreChangePage(changes, next);
    }

    public async Task<StoreOrderState?> GetOrderStateAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        if (!long.TryParse(storeOrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return null;
        }

        // The full order carries its order_rows: the lines of a shipment come with it.
        if ((await ws.GetAsync(shop, $"orders/{id}", cancellationToken))?["order"] is not JsonObject order)
        {
            return null;
        }

        var config = await configs.GetAsync(shop, cancellationToken);
        var state = (int)PrestaShopXml.Long(order["current_state"]);
        if (IsOneOf(config, state, Canceled))
        {
            var cancelledAt = await StateReachedAtAsync(shop, config, id, state, cancellationToken)
                ?? (PrestaShopTime.TryParseLocal(PrestaShopXml.Str(order["date_upd"]), out var upd) ? PrestaShopTime.Instant(upd, config.TimeZone) : time.GetUtcNow());

            // PrestaShop records no cancellation reason.
            return new StoreOrderState(cancelledAt, null, []);
        }

        if (!IsOneOf(config, state, Shipping, Delivered))
        {
            return new StoreOrderState(null, null, []);
        }

        var shipment = await ShipmentAsync(shop, config, id, order, cancellationToken);
        return new StoreOrderState(null, null, shipment is null ? [] : [shipment]);
    }

    private async Task<IReadOnlyList<JsonObject>> ChangedOrdersAsync(
        StoreAccess shop, DateTime from, DateTime to, long? afterId, int count, CancellationToken cancellationToken)
    {
        var query = new List<(string, string)>
        {
            // date=1 makes date_upd filterable and sortable; the interval is BETWEEN, both ends included.
            ("filter[date_upd]", $"[{PrestaShopTime.Format(from)},{PrestaShopTime.Format(to)}]"),
            ("filter[gift_message]", $"[{MarkerPrefix}]%"),
            ("date", "1"),
            ("display", ChangedOrderFields),
            ("sort", afterId is null ? "[date_upd_ASC,id_ASC]" : "[id_ASC]"),
            ("limit", string.Create(CultureInfo.InvariantCulture, $"0,{count}")),
        };
        if (afterId is { } after)
        {
            query.Add(("filter[id]", string.Create(CultureInfo.InvariantCulture, $">[{after}]")));
        }

        return PrestaShopXml.List(await ws.GetAsync(shop, "orders?" + Q([.. query]), cancellationToken), "orders");
    }

    /// <summary>When the order last entered <paramref name="stateId"/>, from its history; null when the key may not read it.</summary>
    private async Task<DateTimeOffset?> StateReachedAtAsync(StoreAccess shop, PrestaShopShopConfig config, long orderId, int stateId, CancellationToken cancellationToken)
    {
        JsonNode? body;
        try
        {
            body = await ws.GetAsync(shop, "order_histories?" + Q(
                ("filter[id_order]", $"[{orderId}]"), ("filter[id_order_state]", $"[{stateId}]"),
                ("display", "[id,date_add]"), ("sort", "[id_DESC]"), ("limit", "1")), cancellationToken);
        }
        catch (StoreRejectedException)
        {
            // Older keys were told to allow only POST on order_histories: the order's date_upd stands in.
            return null;
        }

        var row = PrestaShopXml.First(PrestaShopXml.List(body, "order_histories"));
        return row is not null && PrestaShopTime.TryParseLocal(PrestaShopXml.Str(row["date_add"]), out var local)
            ? PrestaShopTime.Instant(local, config.TimeZone)
            : null;
    }

    /// <summary>
    /// PrestaShop ships the whole order at once: the newest order carrier with a tracking number is the one shipment,
    /// holding every order row. No tracking number yet means nothing TikTok could be told.
    /// </summary>
    private async Task<StoreShipment?> ShipmentAsync(StoreAccess shop, PrestaShopShopConfig config, long orderId, JsonObject order, CancellationToken cancellationToken)
    {
        var carriers = PrestaShopXml.List(await ws.GetAsync(shop, "order_carriers?" + Q(
            ("filter[id_order]", $"[{orderId}]"), ("display", "[id,id_carrier,tracking_number]"), ("sort", "[id_DESC]")), cancellationToken), "order_carriers");
        var tracked = carriers.FirstOrDefault(c => PrestaShopXml.Str(c["tracking_number"]).Trim().Length > 0);
        if (tracked is null)
        {
            return null;
        }

        var lines = (order["associations"]?["order_rows"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(r => new StoreShippedLine(
                ProductKey(PrestaShopXml.Long(r["product_id"]), PrestaShopXml.Long(r["product_attribute_id"])),
                PrestaShopXml.Str(r["product_reference"]) is { Length: > 0 } sku ? sku : null,
                (int)PrestaShopXml.Long(r["product_quantity"])))
            .Where(l => l.Quantity > 0)
            .ToList();
        var carrier = await CarrierNameAsync(shop, config, PrestaShopXml.Long(tracked["id_carrier"]), cancellationToken);
        return new StoreShipment(
            string.Create(CultureInfo.InvariantCulture, $"order_carrier/{PrestaShopXml.Long(tracked["id"])}"),
            PrestaShopXml.Str(tracked["tracking_number"]).Trim(), carrier, lines);
    }

    /// <summary>The carrier's name from the cached configuration, else read (a carrier edited in the back office gets a new id).</summary>
    private async Task<string?> CarrierNameAsync(StoreAccess shop, PrestaShopShopConfig config, long carrierId, CancellationToken cancellationToken)
    {
        if (config.Carriers.TryGetValue(carrierId, out var known))
        {
            return known.Name.Length > 0 ? known.Name : null;
        }

        var body = await ws.GetAsync(shop, $"carriers/{carrierId}?{Q(("display", "[id,name]"))}", cancellationToken);
        return PrestaShopXml.Str(body?["carrier"]?["name"]) is { Length: > 0 } name ? name : null;
    }

    /// <summary>The page token: the (date_upd, id) of the last order of a full page, in the shop's time.</summary>
    private readonly record struct ChangeCursor(DateTime DateUpd, long Id)
    {
        private const string Pattern = "yyyyMMddHHmmss";

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DateUpd.ToString(Pattern, CultureInfo.InvariantCulture)}:{Id}");

        public static bool TryParse(string? token, out ChangeCursor cursor)
        {
            cursor = default;
            var parts = token?.Split(':');
            if (parts is not [var date, var id]
                || !DateTime.TryParseExact(date, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateUpd)
                || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var orderId))
            {
                return false;
            }

            cursor = new ChangeCursor(dateUpd, orderId);
            return true;
        }
    }
}
