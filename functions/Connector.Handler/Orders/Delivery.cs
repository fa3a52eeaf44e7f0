namespace Connector.Orders;

/// <summary>Which Service Bus delivery is running: the claim on an order is tied to it (see <see cref="OrderImporter"/>).</summary>
public sealed record Delivery(string MessageId, int DeliveryCount);
