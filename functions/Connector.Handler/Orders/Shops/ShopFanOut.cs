using Connector.Messaging;
using Connector.State;

namespace Connector.Orders.Shops;

/// <summary>
/// A timer's fan-out (design §3, "scale out, not up"): one message per connected shop, sent in batches of
/// <see cref="BatchSize"/> as the shop list is read, so no invocation holds every shop or walks them one by one.
/// </summary>
public sealed class ShopFanOut(ShopStore shops, IQueueSender sender)
{
    public const int BatchSize = 100;

    /// <summary>
    /// The run id of a timer firing, from its second: a timer fired twice at once (two instances before the host's
    /// singleton lease settles) sends the same message ids, which duplicate detection drops.
    /// </summary>
    public static string RunId(DateTimeOffset slot) => $"t{slot.ToUnixTimeSeconds()}";

    /// <summary>Sends <paramref name="message"/>'s message for every connected shop; answers how many were sent.</summary>
    public async Task<int> SendAsync(Func<ShopEntity, QueueMessage> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var batch = new List<QueueMessage>(BatchSize);
        var total = 0;
        await foreach (var shop in shops.ListConnectedAsync(cancellationToken))
        {
            batch.Add(message(shop));
            if (batch.Count == BatchSize)
            {
                await sender.SendAsync(batch, cancellationToken);
                total += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await sender.SendAsync(batch, cancellationToken);
            total += batch.Count;
        }

        return total;
    }
}
