using Connector.Diagnostics;
using Connector.Functions;
using Connector.Messaging;
using Connector.Orders.Actions;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Web;

/// <summary>
/// Order actions from the order page (issue 13): cancel an order, approve or reject the buyer's cancellation request. Each
/// route checks what it can at once (a 4xx problem says why not), then queues the action on the waiting lane and answers 202
/// with what was started; Orders/Actions/OrderActionRunner does it. A repeated press is the same message (MessageId) and
/// does nothing twice.
/// </summary>
public static class OrderActionsApi
{
    public static void MapOrderActionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/{orderId}/cancel-reasons", CancelReasonsAsync).ForFunction("CancelReasons").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/cancel", CancelAsync).ForFunction("CancelOrder")
            .WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
        app.MapPost("/api/orders/cancel", CancelManyAsync).ForFunction("CancelOrders")
            .WithInput(RouteInput.Body(MaxBulkBody, "shopId")).ForShop();
        app.MapGet("/api/orders/{orderId}/cancellation/reject-reasons", RejectReasonsAsync).ForFunction("CancellationRejectReasons")
            .WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/cancellation/approve", ApproveAsync).ForFunction("ApproveCancellation")
            .WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/cancellation/reject", RejectAsync).ForFunction("RejectCancellation")
            .WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
        app.MapGet("/api/orders/{orderId}/return/reject-reasons", ReturnRejectReasonsAsync).ForFunction("ReturnRejectReasons")
            .WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/return/approve", ApproveReturnAsync).ForFunction("ApproveReturn")
            .WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/return/reject", RejectReturnAsync).ForFunction("RejectReturn")
            .WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
    }

    public sealed record CancelRequest(string? Reason);

    /// <summary>The selected orders of a tab, all cancelled with one reason.</summary>
    public sealed record CancelManyRequest(IReadOnlyList<string>? OrderIds, string? Reason);

    public sealed record OrderRefused(string OrderId, string Reason);

    public sealed record CancelManyStarted(string ShopId, IReadOnlyList<string> Queued, IReadOnlyList<OrderRefused> Refused, string Message);

    /// <summary>At most this many orders in one bulk cancel (a page of the grid).</summary>
    public const int MaxBulkOrders = 100;

    private const int MaxBulkBody = 8 * 1024;

    public sealed record AnswerRequest(string? CancelId, string? Reason, string? Comment);

    public sealed record ReturnAnswerRequest(string? ReturnId, string? Reason, string? Comment);

    public sealed record ReasonChoice(string Reason, string Key, string Label);

    /// <summary>The reasons a seller may give for this order's status and market; empty with <paramref name="Refusal"/> when none.</summary>
    public sealed record CancelReasons(string OrderId, string Status, IReadOnlyList<ReasonChoice> Reasons, string? Refusal);

    public sealed record ActionStarted(string OrderId, string ShopId, string Action, string Status, string Message);

    private static readonly Dictionary<string, string> ReasonLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TikTokCancelReasons.OutOfStock] = "Out of stock",
        [TikTokCancelReasons.WrongPrice] = "Wrong price",
        [TikTokCancelReasons.AddressNotDeliverable] = "Address not deliverable",
        [TikTokCancelReasons.BuyerRequested] = "Buyer asked to cancel",
    };

    public static CancelReasons ReasonsFor(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var status = TikTokStatus.Normalize(row.TikTokStatus);
        var region = row.AddressJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<TikTokAddress>(row.AddressJson)?.RegionCode;
        var choices = TikTokCancelReasons.Choices
            .Select(r => (Reason: r, Key: TikTokCancelReasons.KeyFor(status, null, r, region)))
            .Where(c => c.Key is not null && (status != TikTokStatus.Unpaid || c.Reason != TikTokCancelReasons.AddressNotDeliverable))
            .Select(c => new ReasonChoice(c.Reason, c.Key!, ReasonLabels[c.Reason]))
            .ToList();
        string? refusal = status == TikTokStatus.Cancelled
            ? "The order is cancelled already."
            : choices.Count == 0 ? $"Not possible: {OrderActionRunner.CancelRefusal(status)}" : null;
        return new CancelReasons(row.OrderId, status, refusal is null ? choices : [], refusal);
    }

    private static async Task<IResult> CancelReasonsAsync(string orderId, string? shopId, OrderStore orders, CancellationToken cancellationToken)
    {
        var (row, problem) = await OrderAsync(orderId, shopId!, orders, cancellationToken);
        return problem ?? TypedResults.Ok(ReasonsFor(row!));
    }

    private static async Task<IResult> CancelAsync(
        string orderId, string? shopId, HttpRequest request, OrderStore orders, IQueueSender sender, ActivityStore activity, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await Problems.ReadJsonAsync<CancelRequest>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (body!.Reason is not { } reason || !TikTokCancelReasons.Choices.Contains(reason))
        {
            return Problems.Invalid("reason", $"One of {string.Join(", ", TikTokCancelReasons.Choices)}.");
        }

        var (row, problem) = await OrderAsync(orderId, shopId!, orders, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (row!.PageCancelSentAt is not null || row.TikTokCancelSentAt is not null)
        {
            return Accepted(row, OrderActionWork.Cancel, "sent", "The cancellation was sent to TikTok already; the store order follows TikTok's cancellation.");
        }

        var reasons = ReasonsFor(row);
        if (reasons.Refusal is not null)
        {
            return Problems.Conflict($"Order {orderId} cannot be cancelled. {reasons.Refusal}");
        }

        if (reasons.Reasons.All(r => r.Reason != reason))
        {
            return Problems.Invalid("reason", $"For an order that is {TikTokStatus.Label(reasons.Status)}: one of {string.Join(", ", reasons.Reasons.Select(r => r.Reason))}.");
        }

        return await QueueAsync(new OrderActionWork { ShopId = shopId!, OrderId = orderId, Action = OrderActionWork.Cancel, Reason = reason },
            row, $"Cancellation of order {orderId} requested ({ReasonLabels[reason]}); sending it to TikTok.", sender, activity, logs, cancellationToken);
    }

    /// <summary>
    /// Cancels the selected orders with one reason: each order is checked as a single cancel is, the ones that may be cancelled
    /// are queued (one action each, the same MessageId as a single press), the others are listed with why not. 202 when any
    /// was queued or sent already; 409 when none could be.
    /// </summary>
    private static async Task<IResult> CancelManyAsync(
        string? shopId, HttpRequest request, OrderStore orders, IQueueSender sender, ActivityStore activity, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await Problems.ReadJsonAsync<CancelManyRequest>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (body!.Reason is not { } reason || !TikTokCancelReasons.Choices.Contains(reason))
        {
            return Problems.Invalid("reason", $"One of {string.Join(", ", TikTokCancelReasons.Choices)}.");
        }

        if (body.OrderIds is not { Count: > 0 and <= MaxBulkOrders } ids || ids.Any(id => !TikTokIds.IsOrderId(id)))
        {
            return Problems.Invalid("orderIds", $"1–{MaxBulkOrders} TikTok order ids. {TikTokIds.OrderIdRule}");
        }

        var queued = new List<string>();
        var refused = new List<OrderRefused>();
        var rows = await orders.GetManyAsync(shopId!, ids.Distinct(StringComparer.Ordinal), cancellationToken);
        var work = new List<QueueMessage>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!rows.TryGetValue(id, out var row))
            {
                refused.Add(new OrderRefused(id, "Not known for this shop."));
                continue;
            }

            if (row.PageCancelSentAt is not null || row.TikTokCancelSentAt is not null)
            {
                queued.Add(id); // sent already: nothing more to do
                continue;
            }

            var reasons = ReasonsFor(row);
            if (reasons.Refusal is not null || reasons.Reasons.All(r => r.Reason != reason))
            {
                refused.Add(new OrderRefused(id, reasons.Refusal ?? $"'{reason}' is not a reason TikTok takes for an order that is {TikTokStatus.Label(reasons.Status)}."));
                continue;
            }

            work.Add(new OrderActionWork { ShopId = shopId!, OrderId = id, Action = OrderActionWork.Cancel, Reason = reason });
            queued.Add(id);
        }

        if (queued.Count == 0)
        {
            return Problems.Conflict($"None of the orders can be cancelled: {string.Join(" ", refused.Select(r => $"{r.OrderId}: {r.Reason}"))}");
        }

        if (work.Count > 0)
        {
            await sender.SendAsync(work, cancellationToken);
        }

        var logger = logs.CreateLogger(typeof(OrderActionsApi).FullName!);
        foreach (var item in work.Cast<OrderActionWork>())
        {
            Log.OrderActionQueued(logger, item.ShopId, item.OrderId, item.Action);
            await activity.AddAsync(item.ShopId, Orders.ActivityKinds.Action, item.OrderId,
                $"Cancellation of order {item.OrderId} requested with the selected orders ({ReasonLabels[reason]}); sending it to TikTok.", cancellationToken);
        }

        var message = $"{queued.Count} order(s) being cancelled on TikTok" + (refused.Count == 0 ? "." : $"; {refused.Count} cannot be cancelled.");
        return TypedResults.Accepted((string?)null, new CancelManyStarted(shopId!, queued, refused, message));
    }

    private static async Task<IResult> RejectReasonsAsync(
        string orderId, string? shopId, OrderStore orders, ShopStore shops, TikTokClient tiktok, CancellationToken cancellationToken)
    {
        var (row, problem) = await PendingRequestAsync(orderId, shopId!, null, orders, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var shop = await shops.GetAsync(shopId!, cancellationToken);
        try
        {
            var reasons = await tiktok.GetRejectReasonsAsync(shop!, row!.CancelRequestId!, cancellationToken);
            return TypedResults.Ok(new { orderId, cancelId = row.CancelRequestId, reasons = reasons.Select(r => new { reason = r.Name, label = r.Text ?? r.Name }) });
        }
        catch (TikTokApiException e) when (!e.IsTransient)
        {
            return Problems.Conflict($"TikTok did not give the reject reasons: {e.TikTokMessage} (code {e.Code}).");
        }
        catch (TikTokApiException e)
        {
            return Problems.Unavailable($"TikTok did not answer: {e.TikTokMessage}. Try again shortly.");
        }
    }

    private static async Task<IResult> ApproveAsync(
        string orderId, string? shopId, HttpRequest request, OrderStore orders, IQueueSender sender, ActivityStore activity, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await ReadAnswerAsync<AnswerRequest>(request, approve: true, "cancellation/reject-reasons", b => (b.Reason, b.Comment), cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (row, problem) = await PendingRequestAsync(orderId, shopId!, body!.CancelId, orders, cancellationToken, OrderActionWork.ApproveCancellation);
        return problem ?? await QueueAsync(
            new OrderActionWork { ShopId = shopId!, OrderId = orderId, Action = OrderActionWork.ApproveCancellation, CancelId = row!.CancelRequestId },
            row, $"Approval of the buyer's cancellation request of order {orderId} requested; sending it to TikTok.", sender, activity, logs, cancellationToken);
    }

    private static async Task<IResult> RejectAsync(
        string orderId, string? shopId, HttpRequest request, OrderStore orders, ShopStore shops, TikTokClient tiktok, IQueueSender sender,
        ActivityStore activity, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await ReadAnswerAsync<AnswerRequest>(request, approve: false, "cancellation/reject-reasons", b => (b.Reason, b.Comment), cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (row, problem) = await PendingRequestAsync(orderId, shopId!, body!.CancelId, orders, cancellationToken, OrderActionWork.RejectCancellation);
        problem ??= await CheckRejectReasonAsync(tiktok, shops, shopId!, row?.CancelRequestId, body.Reason!, "request", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await QueueAsync(
            new OrderActionWork
            {
                ShopId = shopId!, OrderId = orderId, Action = OrderActionWork.RejectCancellation, CancelId = row!.CancelRequestId,
                Reason = body.Reason, Comment = body.Comment,
            },
            row, $"Rejection of the buyer's cancellation request of order {orderId} requested ({body.Reason}); sending it to TikTok.",
            sender, activity, logs, cancellationToken);
    }

    /// <summary>The order's return when it waits for the seller's answer at this step; else a 409 saying why not.</summary>
    private static async Task<(OrderEntity? Row, ReturnSummary? Return, IResult? Problem)> OpenReturnAsync(
        string orderId, string shopId, string? returnId, bool approve, OrderStore orders, CancellationToken cancellationToken)
    {
        var (row, problem) = await OrderAsync(orderId, shopId, orders, cancellationToken);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var summary = ReturnSummary.Parse(row!.ReturnJson);
        if (summary is null || (returnId is not null && returnId != summary.ReturnId))
        {
            return (null, null, Problems.Conflict(summary is null
                ? $"Order {orderId} has no return or refund request."
                : $"Return {returnId} is not the order's current request ({summary.ReturnId}); reload the order."));
        }

        if (TikTokReturnStatus.Decision(approve, summary.Status, summary.Type) is not null)
        {
            return (row, summary, null);
        }

        // The same answer given already (a repeated press that TikTok's update overtook, or Seller Center): 202, nothing sent.
        return TikTokReturnStatus.Answered(approve, summary.Status)
            ? (null, null, Accepted(row, approve ? OrderActionWork.ApproveReturn : OrderActionWork.RejectReturn, "done",
                $"Return {summary.ReturnId} was {(approve ? "approved" : "rejected")} already ({summary.StatusLabel}); nothing more to send."))
            : (null, null, Problems.Conflict($"The return of order {orderId} is '{summary.StatusLabel}' and waits for no answer from you."));
    }

    private static async Task<IResult> ReturnRejectReasonsAsync(
        string orderId, string? shopId, OrderStore orders, ShopStore shops, TikTokClient tiktok, CancellationToken cancellationToken)
    {
        var (_, summary, problem) = await OpenReturnAsync(orderId, shopId!, null, approve: false, orders, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var reasons = await tiktok.GetRejectReasonsAsync((await shops.GetAsync(shopId!, cancellationToken))!, summary!.ReturnId, cancellationToken);
            return TypedResults.Ok(new { orderId, returnId = summary.ReturnId, reasons = reasons.Select(r => new { reason = r.Name, label = r.Text ?? r.Name }) });
        }
        catch (TikTokApiException e)
        {
            return Problems.Unavailable($"TikTok did not give the reject reasons: {e.TikTokMessage}. Try again shortly.");
        }
    }

    private static async Task<IResult> ApproveReturnAsync(
        string orderId, string? shopId, HttpRequest request, OrderStore orders, IQueueSender sender, ActivityStore activity, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await ReadAnswerAsync<ReturnAnswerRequest>(request, approve: true, "return/reject-reasons", b => (b.Reason, b.Comment), cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (row, summary, problem) = await OpenReturnAsync(orderId, shopId!, body!.ReturnId, approve: true, orders, cancellationToken);
        return problem ?? await QueueAsync(
            new OrderActionWork
            {
                ShopId = shopId!, OrderId = orderId, Action = OrderActionWork.ApproveReturn, ReturnId = summary!.ReturnId, ReturnStatus = summary.Status,
            },
            row!, $"Approval of return {summary.ReturnId} ({summary.StatusLabel}) requested; sending it to TikTok.", sender, activity, logs, cancellationToken);
    }

    private static async Task<IResult> RejectReturnAsync(
        string orderId, string? shopId, HttpRequest request, OrderStore orders, ShopStore shops, TikTokClient tiktok, IQueueSender sender,
        ActivityStore activity, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await ReadAnswerAsync<ReturnAnswerRequest>(request, approve: false, "return/reject-reasons", b => (b.Reason, b.Comment), cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (row, summary, problem) = await OpenReturnAsync(orderId, shopId!, body!.ReturnId, approve: false, orders, cancellationToken);
        problem ??= await CheckRejectReasonAsync(tiktok, shops, shopId!, summary?.ReturnId, body.Reason!, "return", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await QueueAsync(
            new OrderActionWork
            {
                ShopId = shopId!, OrderId = orderId, Action = OrderActionWork.RejectReturn, ReturnId = summary!.ReturnId, ReturnStatus = summary.Status,
                Reason = body.Reason, Comment = body.Comment,
            },
            row!, $"Rejection of return {summary.ReturnId} ({summary.StatusLabel}) requested ({body.Reason}); sending it to TikTok.",
            sender, activity, logs, cancellationToken);
    }

    /// <summary>
    /// An answer's body, for a cancellation request or a return alike: an approval takes no reason or comment; a rejection takes a
    /// reason key (one of <paramref name="reasonsRoute"/>'s) and a short comment.
    /// </summary>
    private static async Task<(T? Body, IResult? Problem)> ReadAnswerAsync<T>(
        HttpRequest request, bool approve, string reasonsRoute, Func<T, (string? Reason, string? Comment)> parts, CancellationToken cancellationToken)
        where T : class
    {
        var (body, problem) = await Problems.ReadJsonAsync<T>(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var (reason, comment) = parts(body!);
        if (approve)
        {
            return reason is not null || comment is not null
                ? (null, Problems.Invalid(reason is not null ? "reason" : "comment", "An approval takes no reason or comment."))
                : (body, null);
        }

        if (!OrderActionWork.IsKey(reason))
        {
            return (null, Problems.Invalid("reason", $"A reject reason from the {(reasonsRoute.StartsWith("return", StringComparison.Ordinal) ? "return's" : "order's")} reject reasons ({reasonsRoute})."));
        }

        return comment is { Length: > OrderActionWork.MaxCommentLength }
            ? (null, Problems.Invalid("comment", $"At most {OrderActionWork.MaxCommentLength} characters."))
            : (body, null);
    }

    /// <summary>
    /// TikTok takes only its own reasons for this request or return (36009004 otherwise): checked now, so the merchant hears it at
    /// once. Null when the reason is one of them.
    /// </summary>
    private static async Task<IResult?> CheckRejectReasonAsync(
        TikTokClient tiktok, ShopStore shops, string shopId, string? requestId, string reason, string what, CancellationToken cancellationToken)
    {
        IReadOnlyList<TikTokRejectReason> reasons;
        try
        {
            reasons = await tiktok.GetRejectReasonsAsync((await shops.GetAsync(shopId, cancellationToken))!, requestId!, cancellationToken);
        }
        catch (TikTokApiException e)
        {
            return Problems.Unavailable($"TikTok did not give the reject reasons: {e.TikTokMessage}. Try again shortly.");
        }

        return reasons.Any(r => r.Name == reason)
            ? null
            : Problems.Invalid("reason", $"One of TikTok's reasons for this {what}: {string.Join(", ", reasons.Select(r => r.Name))}.");
    }

    private static async Task<(OrderEntity? Row, IResult? Problem)> OrderAsync(string orderId, string shopId, OrderStore orders, CancellationToken cancellationToken)
    {
        if (!TikTokIds.IsOrderId(orderId))
        {
            return (null, Problems.Invalid("orderId", TikTokIds.OrderIdRule));
        }

        var row = await orders.GetAsync(shopId, orderId, cancellationToken);
        return row is null ? (null, Problems.NotFound($"Order {orderId} is not known for shop '{shopId}'.")) : (row, null);
    }

    /// <summary>The same answer given already (a repeated press): 202 saying so, nothing queued. Null otherwise.</summary>
    private static Accepted<ActionStarted>? Answered(OrderEntity row, string? cancelId, string action)
    {
        if (row.CancelRequestId is null || (cancelId is not null && cancelId != row.CancelRequestId))
        {
            return null;
        }

        // TikTok's CANCELLED may be read before the request's own new status: the order cancelled answers the request too.
        var approved = row.CancelRequestStatus is TikTokCancelStatus.Success or TikTokCancelStatus.Complete
            || (row.CancelRequestStatus == TikTokCancelStatus.Pending && TikTokStatus.Normalize(row.TikTokStatus) == TikTokStatus.Cancelled);
        var rejected = row.CancelRequestStatus == TikTokCancelStatus.Rejected;
        return (action == OrderActionWork.ApproveCancellation && approved) || (action == OrderActionWork.RejectCancellation && rejected)
            ? Accepted(row, action, "done", $"The buyer's cancellation request was {(approved ? "approved" : "rejected")} already; nothing more to send.")
            : null;
    }

    /// <summary>
    /// The order's pending buyer request, read once: with <paramref name="action"/>, a request that action already answered
    /// is a 202 "done" (the problem slot carries it), decided from the same read as the pending check.
    /// </summary>
    private static async Task<(OrderEntity? Row, IResult? Problem)> PendingRequestAsync(
        string orderId, string shopId, string? cancelId, OrderStore orders, CancellationToken cancellationToken, string? action = null)
    {
        var (row, problem) = await OrderAsync(orderId, shopId, orders, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (action is not null && Answered(row!, cancelId, action) is { } done)
        {
            return (null, done);
        }

        if (row!.CancelRequestStatus != TikTokCancelStatus.Pending || row.CancelRequestId is null || TikTokStatus.IsTerminal(row.TikTokStatus))
        {
            return (null, Problems.Conflict(row.CancelRequestId is null
                ? $"Order {orderId} has no buyer cancellation request."
                : $"The buyer's cancellation request of order {orderId} is not waiting for an answer ({row.CancelRequestStatus})."));
        }

        if (cancelId is not null && cancelId != row.CancelRequestId)
        {
            return (null, Problems.Conflict($"Cancellation request {cancelId} is not the order's current request ({row.CancelRequestId}); reload the order."));
        }

        return (row, null);
    }

    private static async Task<IResult> QueueAsync(
        OrderActionWork work, OrderEntity row, string message, IQueueSender sender, ActivityStore activity, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        if (work.Problem() is { } bad)
        {
            return Problems.BadRequest(bad);
        }

        await sender.SendAsync(work, cancellationToken);
        Log.OrderActionQueued(logs.CreateLogger(typeof(OrderActionsApi).FullName!), work.ShopId, work.OrderId, work.Action);
        await activity.AddAsync(work.ShopId, Orders.ActivityKinds.Action, work.OrderId, message, cancellationToken);
        return Accepted(row, work.Action, "queued", message);
    }

    private static Accepted<ActionStarted> Accepted(OrderEntity row, string action, string status, string message) =>
        TypedResults.Accepted((string?)null, new ActionStarted(row.OrderId, row.PartitionKey, action, status, message));
}
