using Connector.Diagnostics;
using Connector.Messaging;
using Connector.TikTok;
using Connector.Orders.Fetch;
using Connector.State;

namespace Connector.Orders.Work;

/// <summary>One page of a shop's fetch run.</summary>
public sealed class FetchJobHandler(OrderFetcher fetcher, IQueueSender sender, LegacyStateUpgrade upgrade, ILogger<FetchJobHandler> logger) : IQueueWorkHandler<FetchJob>
{
    public async Task<WorkOutcome> HandleAsync(FetchJob message, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            if (message.Page == 0)
            {
                // A shop whose state an older build wrote is brought into the current layout before its orders are touched.
                await upgrade.EnsureAsync(message.ShopId, cancellationToken);

                // The safety net for lost type 11 webhooks: each run also reads the shop's pending buyer cancellation requests.
                await sender.SendAsync(new ReverseWork { ShopId = message.ShopId, Attempt = $"run{message.RunId}" }, cancellationToken);
            }

            return new WorkOutcome.Done(await fetcher.RunPageAsync(message, cancellationToken));
        }
        catch (TikTokApiException e) when (!e.IsTransient)
        {
            // The fetch cannot go on (authorisation expired, scope missing...): the shop's status says why; the timer tries again next run.
            Log.FetchFailed(logger, message.ShopId, e.Message);
            await fetcher.StopAsync(message, $"TikTok refused: {e.TikTokMessage} (code {e.Code}).", cancellationToken);
            return new WorkOutcome.Failed("TIKTOK_REFUSED", $"Fetch for shop {message.ShopId} stopped: {e.TikTokMessage} (code {e.Code}).");
        }
        catch (QueueMessageTooLargeException e)
        {
            await fetcher.StopAsync(message, e.Message, cancellationToken);
            return new WorkOutcome.Failed("QUEUE_REFUSED", $"Fetch {message.RunId} of shop {message.ShopId} stopped: {e.Message}");
        }
    }
}
