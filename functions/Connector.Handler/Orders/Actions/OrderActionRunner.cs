using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// Runs an order action the merchant started on the order page (queued by Web/OrderActionsApi): cancel the order on TikTok, or
/// approve / reject the buyer's cancellation request. TikTok is re-read first and judges what is still to do, so a repeated
/// or late delivery does nothing twice. The store follows TikTok: once TikTok shows the order CANCELLED, the re-read queued
/// here (and TikTok's own webhook, whichever comes first) cancels the store order through StoreStatusSync, whose
/// <c>StoreCancelledAt</c> makes that happen once, stock returned. Every action and its outcome goes on the order's timeline.
/// </summary>
public sealed class OrderActionRunner(
    ShopStore shops,
    OrderStore orders,
    TikTokClient tiktok,
    BuyerCancellations cancellations,
    IQueueSender sender,
    TimeProvider time,
    ILogger<OrderActionRunner> logger)
{
    public async Task<WorkOutcome> RunAsync(OrderActionWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var shop = await shops.GetAsync(work.ShopId, cancellationToken);
        var row = shop is null ? null : await orders.GetAsync(shop.ShopId, work.OrderId, cancellationToken);
        if (shop is null || row is null)
        {
            return new WorkOutcome.Done($"Order {work.OrderId} of shop {work.ShopId} is not known; {work.Action} ignored.");
        }

        string? done;
        string? issue = null;
        try
        {
            done = work.Action switch
            {
                OrderActionWork.Cancel => await CancelAsync(shop, row, work, cancellationToken),
                OrderActionWork.ApproveCancellation or OrderActionWork.RejectCancellation => await AnswerAsync(shop, row, work, cancellationToken),
                OrderActionWork.ApproveReturn or OrderActionWork.RejectReturn => await AnswerReturnAsync(shop, work, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown order action {work.Action}."),
            };
        }
        catch (ActionRefused e)
        {
            done = null;
            issue = e.Message;
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            done = null;
            issue = $"TikTok refused: {e.TikTokMessage} (code {e.Code}).";
        }

        var message = done ?? $"{Describe(work)} of order {work.OrderId} not done: {issue}";
        await RecordAsync(shop.ShopId, work, issue, done is null ? ActivityKinds.Failed : ActivityKinds.Action, message, cancellationToken);
        if (done is not null)
        {
            // The store follows TikTok's new status now, without waiting for its webhook (which may also come: both are one).
            await sender.SendAsync(new OrderWork
            {
                ShopId = shop.ShopId,
                OrderId = work.OrderId,
                UpdateTime = row.TikTokUpdateTime,
                Reason = "action",
                Attempt = $"a{work.Action}",
            }, cancellationToken);
        }

        Log.OrderActionRun(logger, shop.ShopId, work.OrderId, work.Action, message);
        return new WorkOutcome.Done(message);
    }

    private async Task<string> CancelAsync(ShopEntity shop, OrderEntity row, OrderActionWork work, CancellationToken cancellationToken)
    {
        var order = await ReadAsync(shop, work.OrderId, cancellationToken);
        var status = TikTokStatus.Normalize(order.Status);
        if (status == TikTokStatus.Cancelled)
        {
            return $"Order {work.OrderId} is cancelled on TikTok; nothing more to send.";
        }

        var key = TikTokCancelReasons.KeyFor(status, null, work.Reason ?? "", order.RecipientAddress?.RegionCode);
        if (key is null)
        {
            throw new ActionRefused(CancelRefusal(status));
        }

        var result = await tiktok.CancelOrderAsync(shop, work.OrderId, key, cancellationToken);
        await MarkCancelSentAsync(shop.ShopId, row, cancellationToken);
        return $"Cancelled from the order page: cancellation sent to TikTok ({key}, {result.CancelStatus ?? "requested"}).";
    }

    /// <summary>Why TikTok lets no seller cancel an order in this status, in words.</summary>
    public static string CancelRefusal(string status) => TikTokStatus.Rank(status) > TikTokStatus.Rank(TikTokStatus.AwaitingShipment)
        ? $"the order is {TikTokStatus.Label(status)}: TikTok only lets a seller cancel before shipping. Once delivered, the buyer can ask for a return or refund."
        : $"the order is {TikTokStatus.Label(status)}: TikTok does not let a seller cancel it in this status.";

    private async Task<string> AnswerAsync(ShopEntity shop, OrderEntity row, OrderActionWork work, CancellationToken cancellationToken)
    {
        var approve = work.Action == OrderActionWork.ApproveCancellation;
        var current = (await tiktok.SearchCancellationsAsync(shop, [work.OrderId], null, null, cancellationToken)).Cancellations?
            .FirstOrDefault(c => c.CancelId == work.CancelId)
            ?? throw new ActionRefused($"TikTok shows no cancellation request {work.CancelId} on this order.");
        if (current.CancelStatus != TikTokCancelStatus.Pending)
        {
            await cancellations.ApplyAsync(shop.ShopId, current, cancellationToken);
            var answered = current.CancelStatus is TikTokCancelStatus.Success or TikTokCancelStatus.Complete;
            if (answered == approve)
            {
                return $"The buyer's cancellation request was {(approve ? "approved" : "rejected")} already; nothing more to send.";
            }

            throw new ActionRefused($"the request is no longer waiting for an answer ({current.CancelStatus}).");
        }

        // The key is the action itself: a redelivery after a lost answer gets TikTok's first success again.
        var idempotencyKey = $"connector-{work.Action}-{work.CancelId}";
        if (approve)
        {
            await tiktok.ApproveCancellationAsync(shop, work.CancelId!, idempotencyKey, cancellationToken);
        }
        else
        {
            await tiktok.RejectCancellationAsync(shop, work.CancelId!, idempotencyKey, work.Reason!, work.Comment, cancellationToken);
        }

        await cancellations.ApplyAsync(shop.ShopId, current with
        {
            CancelStatus = approve ? TikTokCancelStatus.Success : TikTokCancelStatus.Rejected,
            UpdateTime = Math.Max(current.UpdateTime, row.CancelRequestUpdateTime) + 1,
            SellerNextActionResponse = null,
        }, cancellationToken);
        return approve
            ? $"Buyer's cancellation request approved ({Reason(current)}): TikTok cancels the order and the store order follows."
            : $"Buyer's cancellation request rejected with reason {work.Reason}: the order goes on.";
    }

    private static string Reason(TikTokCancellation request) => BuyerCancellations.Reason(request);

    /// <summary>Approve or reject a return at the step the merchant saw; TikTok's current step decides (a later one is not answered).</summary>
    private async Task<string> AnswerReturnAsync(ShopEntity shop, OrderActionWork work, CancellationToken cancellationToken)
    {
        var approve = work.Action == OrderActionWork.ApproveReturn;
        var current = (await tiktok.SearchReturnsAsync(shop, [work.OrderId], null, null, cancellationToken)).Returns?
            .FirstOrDefault(r => r.ReturnId == work.ReturnId)
            ?? throw new ActionRefused($"TikTok shows no return {work.ReturnId} on this order.");
        if (current.ReturnStatus != work.ReturnStatus)
        {
            await cancellations.RefreshAsync(new ReverseWork { ShopId = shop.ShopId, OrderId = work.OrderId, Attempt = "action" }, cancellationToken);
            throw new ActionRefused($"the return moved on to '{TikTokReturnStatus.Label(current.ReturnStatus)}' meanwhile; answer it again if it still needs one.");
        }

        var decision = TikTokReturnStatus.Decision(approve, current.ReturnStatus, current.ReturnType)
            ?? throw new ActionRefused($"the return is '{TikTokReturnStatus.Label(current.ReturnStatus)}' and waits for no answer from the seller.");
        var idempotencyKey = $"connector-{work.Action}-{work.ReturnId}-{work.ReturnStatus}";
        if (approve)
        {
            await tiktok.ApproveReturnAsync(shop, work.ReturnId!, idempotencyKey, decision, cancellationToken);
        }
        else
        {
            await tiktok.RejectReturnAsync(shop, work.ReturnId!, idempotencyKey, decision, work.Reason!, work.Comment, cancellationToken);
        }

        // TikTok's new step (and its webhook's) goes on the order and its timeline.
        await cancellations.RefreshAsync(new ReverseWork { ShopId = shop.ShopId, OrderId = work.OrderId, Attempt = "action" }, cancellationToken);
        return approve
            ? $"Return {work.ReturnId}: {decision} sent to TikTok."
            : $"Return {work.ReturnId}: {decision} sent to TikTok with reason {work.Reason}.";
    }

    private async Task<TikTokOrder> ReadAsync(ShopEntity shop, string orderId, CancellationToken cancellationToken) =>
        (await tiktok.GetOrdersAsync(shop, [orderId], cancellationToken)).FirstOrDefault(o => o.Id == orderId)
        ?? throw new ActionRefused($"TikTok does not return order {orderId} for this shop.");

    /// <summary>Before TikTok's CANCELLED comes back: the store cancellation that follows must not be sent to TikTok again.</summary>
    private async Task MarkCancelSentAsync(string shopId, OrderEntity row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shopId, row.OrderId, ct),
            current =>
            {
                if (current.PageCancelSentAt is not null)
                {
                    return RowChange.None;
                }

                current.PageCancelSentAt = now;
                current.TikTokCancelSentAt ??= now;
                current.UpdatedAt = now;
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {row.OrderId} (page cancellation)");
    }

    /// <summary>The action's outcome on the order: its issue (or none) and its step on the timeline, in one transaction.</summary>
    private async Task RecordAsync(string shopId, OrderActionWork work, string? issue, string kind, string message, CancellationToken cancellationToken)
    {
        var text = issue is null ? null : $"{Describe(work)} not done: {issue}";
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, work.OrderId, ct),
            current =>
            {
                current.ActionIssue = text;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(kind, message, current.UpdatedAt);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {work.OrderId} (action outcome)");
    }

    private static string Describe(OrderActionWork work) => work.Action switch
    {
        OrderActionWork.Cancel => "Cancellation",
        OrderActionWork.ApproveCancellation => "Approving the buyer's cancellation request",
        OrderActionWork.ApproveReturn => "Approving the return",
        OrderActionWork.RejectReturn => "Rejecting the return",
        _ => "Rejecting the buyer's cancellation request",
    };

    /// <summary>TikTok or the order's state says no: the merchant reads why on the order; nothing to retry.</summary>
    private sealed class ActionRefused(string message) : Exception(message);
}
