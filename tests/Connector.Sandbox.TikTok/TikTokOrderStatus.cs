namespace Connector.Sandbox.TikTok;

/// <summary>§5.1 status strings and the §5.4 transition graph the simulator enforces.</summary>
public static class TikTokOrderStatus
{
    public const string Unpaid = "UNPAID";
    public const string OnHold = "ON_HOLD";
    public const string AwaitingShipment = "AWAITING_SHIPMENT";
    public const string PartiallyShipping = "PARTIALLY_SHIPPING";
    public const string AwaitingCollection = "AWAITING_COLLECTION";
    public const string InTransit = "IN_TRANSIT";
    public const string Delivered = "DELIVERED";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";

    public static IReadOnlyList<string> All { get; } =
        [Unpaid, OnHold, AwaitingShipment, PartiallyShipping, AwaitingCollection, InTransit, Delivered, Completed, Cancelled];

    // §5.4 table. "any non-terminal → CANCELLED"; COMPLETED and CANCELLED are terminal.
    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [Unpaid] = [OnHold, AwaitingShipment, Cancelled],
        [OnHold] = [AwaitingShipment, Cancelled],
        [AwaitingShipment] = [PartiallyShipping, AwaitingCollection, InTransit, Cancelled],
        [PartiallyShipping] = [AwaitingCollection, InTransit, Cancelled],
        [AwaitingCollection] = [InTransit, Cancelled],
        [InTransit] = [Delivered, Cancelled],
        [Delivered] = [Completed, Cancelled],
        [Completed] = [],
        [Cancelled] = [],
    };

    public static bool IsKnown(string? status) => status is not null && Next.ContainsKey(status);

    public static bool IsTerminal(string status) => status is Completed or Cancelled;

    public static bool CanMove(string from, string to) =>
        Next.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>The statuses on the shortest §5.4 path from <paramref name="from"/> to <paramref name="to"/> (excluding from), or null.</summary>
    public static IReadOnlyList<string>? PathTo(string from, string to)
    {
        if (!IsKnown(from) || !IsKnown(to) || from == to)
        {
            return null;
        }

        var previous = new Dictionary<string, string>(StringComparer.Ordinal) { [from] = from };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in Next[current])
            {
                if (previous.TryAdd(next, current))
                {
                    if (next == to)
                    {
                        var path = new List<string> { to };
                        for (var step = current; step != from; step = previous[step])
                        {
                            path.Add(step);
                        }

                        path.Reverse();
                        return path;
                    }

                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>The line display_status (§4.4 / OAS) of a line that is not shipped separately.</summary>
    internal static string LineDisplayStatus(string orderStatus) => orderStatus switch
    {
        Unpaid => Unpaid,
        OnHold or AwaitingShipment or PartiallyShipping => AwaitingShipment,
        _ => orderStatus,
    };
}
