namespace Connector.Orders;

/// <summary>Another delivery is importing the same order right now; answering non-2xx lets Service Bus redeliver later.</summary>
public sealed class ImportBusyException(string orderId)
    : Exception($"Order {orderId} is being imported by another delivery; try again shortly.")
{
    public string OrderId { get; } = orderId;
}
