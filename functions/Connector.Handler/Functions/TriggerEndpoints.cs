using System.Text.Json;
using Connector.Messaging;
using Connector.Orders;
using Connector.Web;
using Connector.Orders.Fetch;
using Connector.Orders.Shops;

namespace Connector.Functions;

/// <summary>
/// The non-HTTP functions: the host POSTs <c>/{FunctionName}</c> with <c>{Data, Metadata}</c> and reads back
/// <see cref="InvocationResult"/>. Triggers stay thin: parse, call the feature, shape the answer.
/// Non-2xx only when a retry can help; a message that can never succeed is recorded and answered 2xx (design §2).
/// </summary>
public static class TriggerEndpoints
{
    public static void MapTriggerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/FetchOrdersTimer", FetchOrdersTimerAsync).ForFunction("FetchOrdersTimer");
        app.MapPost("/ProcessOrderMessage", ProcessOrderMessageAsync).ForFunction("ProcessOrderMessage");
        app.MapPost("/ProcessBulkMessage", ProcessBulkMessageAsync).ForFunction("ProcessBulkMessage");
        app.MapPost("/HousekeepingTimer", HousekeepingTimerAsync).ForFunction("HousekeepingTimer");
        app.MapPost("/ProductsTimer", ProductsTimerAsync).ForFunction("ProductsTimer");
    }

    private static Task<IResult> FetchOrdersTimerAsync(HttpRequest request, OrderFetcher fetcher, TimeProvider time, CancellationToken cancellationToken) =>
        RunTimerAsync(request, async ct => $"Queued a fetch for each of {await fetcher.FanOutAsync(time.GetUtcNow(), ct)} connected shops.", cancellationToken);

    private static Task<IResult> ProductsTimerAsync(HttpRequest request, Products.ProductScanFanOut fanOut, TimeProvider time, CancellationToken cancellationToken) =>
        RunTimerAsync(request, async ct => $"Queued a product and stock scan for each of {await fanOut.FanOutAsync(time.GetUtcNow(), ct)} connected shops.", cancellationToken);

    private static Task<IResult> HousekeepingTimerAsync(HttpRequest request, Housekeeping housekeeping, CancellationToken cancellationToken) =>
        RunTimerAsync(request, async ct => $"Queued housekeeping for {await housekeeping.FanOutAsync(ct)} shops.", cancellationToken);

    /// <summary>A timer invocation: check the payload, fan the work out through the queue, report what was queued.</summary>
    private static async Task<IResult> RunTimerAsync(HttpRequest request, Func<CancellationToken, Task<string>> fanOut, CancellationToken cancellationToken)
    {
        var (invocation, problem) = await ReadInvocationAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            _ = invocation!.TriggerData("timer");
            return TypedResults.Ok(InvocationResult.Completed(await fanOut(cancellationToken)));
        }
        catch (InvalidInvocationException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (Exception e) when (TransientErrors.IsTransient(e))
        {
            return Problems.Unavailable($"The timer run could not queue its jobs: {e.Message}");
        }
    }

    /// <summary>The orders queue: work somebody waits for; new bulk work on this instance holds back while it runs.</summary>
    private static async Task<IResult> ProcessOrderMessageAsync(HttpRequest request, BulkLane lane, QueueWorkDispatcher dispatcher, CancellationToken cancellationToken)
    {
        using var waiting = lane.EnterWaiting();
        return await ProcessMessageAsync("ProcessOrderMessage", request, dispatcher, cancellationToken);
    }

    /// <summary>The bulk queue: the same work, at most <see cref="QueueOptions.BulkConcurrency"/> at once on this instance.</summary>
    private static async Task<IResult> ProcessBulkMessageAsync(HttpRequest request, BulkLane lane, QueueWorkDispatcher dispatcher, CancellationToken cancellationToken)
    {
        using var slot = await lane.EnterAsync(cancellationToken);
        return await ProcessMessageAsync("ProcessBulkMessage", request, dispatcher, cancellationToken);
    }

    private static async Task<IResult> ProcessMessageAsync(string functionName, HttpRequest request, QueueWorkDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var (invocation, problem) = await ReadInvocationAsync(request, cancellationToken);
        return problem ?? await dispatcher.DispatchAsync(functionName, invocation!, cancellationToken);
    }

    private static async Task<(FunctionInvocation? Invocation, IResult? Problem)> ReadInvocationAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (payload, problem) = await Problems.ReadJsonAsync<JsonDocument>(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (payload)
        {
            try
            {
                return (FunctionInvocation.Parse(payload!.RootElement), null);
            }
            catch (InvalidInvocationException e)
            {
                return (null, Problems.BadRequest(e.Message));
            }
        }
    }
}
