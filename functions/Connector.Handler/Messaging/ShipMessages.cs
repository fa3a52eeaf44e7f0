using System.Text.Json.Serialization;
using Connector.Orders.Actions;
using Connector.TikTok;

namespace Connector.Messaging;

/// <summary>Units of one seller SKU in a package shipped from the order page.</summary>
public sealed record ShipUnits(string SellerSku, int Quantity);

/// <summary>
/// A package the merchant ships from the order page (issue 13 item 4): carrier, tracking and the units in it. The merchant
/// waits for it: the waiting lane. The MessageId is the package's contents, so a repeated press is one shipment.
/// </summary>
public sealed record ShipWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "ship";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string OrderId { get; init; }
    public required string ShippingProviderId { get; init; }
    public required string TrackingNumber { get; init; }
    public required IReadOnlyList<ShipUnits> Units { get; init; }

    /// <summary>The package's key: what the order row records once it is on TikTok (see <see cref="PageShipments.Key"/>).</summary>
    [JsonIgnore] public string Key => PageShipments.Key(ShippingProviderId, TrackingNumber, Units);

    public override string? Problem()
    {
        if (!TikTokIds.IsOrderId(OrderId))
        {
            return TikTokIds.OrderIdRule;
        }

        return PageShipments.ProviderProblem(ShippingProviderId)
            ?? PageShipments.TrackingProblem(TrackingNumber)
            ?? PageShipments.UnitsProblem(Units)?.Message;
    }

    public override string MessageId => $"ship:{ShopId}:{OrderId}:{Key}";
}
