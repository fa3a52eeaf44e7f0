using System.Collections.Concurrent;
using System.Diagnostics;
using Connector.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Benchmarks;

/// <summary>
/// Issue 12 item 3: how much longer an order message takes than the API calls it waits on. Latency is injected in the
/// handler's own HTTP clients (a delegating handler before each call: TikTok 20 ms, Shopify 50 ms); each order message's
/// handling is timed, and so is every outgoing call made while it runs (same async flow).
/// </summary>
internal sealed class Overhead
{
    public static readonly TimeSpan TikTokLatency = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan ShopifyLatency = TimeSpan.FromMilliseconds(50);

    private readonly AsyncLocal<Message?> _current = new();


    public ConcurrentBag<(double Total, double Api, int Calls)> Messages { get; } = [];

    /// <summary>The TikTok simulator's host:port (known once the sandbox runs); Shopify calls are told by their Admin API path.</summary>
    public string? TikTokAuthority { get; set; }

    public void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter>(_ => new RequestTiming(this));
        builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new InjectedLatency(this)));
        builder.Services.AddTransient<IQueueWorkHandler<OrderWork>>(sp =>
            new TimedOrderWork(this, ActivatorUtilities.CreateInstance<Connector.Orders.Work.OrderWorkHandler>(sp)));
    }

    /// <summary>Each queue invocation as the handler's HTTP pipeline sees it (request in → response out).</summary>
    public ConcurrentBag<double> Requests { get; } = [];

    private sealed class RequestTiming(Overhead owner) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                var started = Stopwatch.GetTimestamp();
                await following(context);
                if (context.Request.Path.Value is { } path && path == "/ProcessOrderMessage")
                {
                    owner.Requests.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            });
            next(app);
        };
    }

    private sealed class Message
    {
        public long ApiTicks;
        public int Calls;
    }

    private sealed class InjectedLatency(Overhead owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var delay = uri.AbsolutePath.Contains("/admin/api/", StringComparison.Ordinal) ? ShopifyLatency
                : uri.Authority == owner.TikTokAuthority ? TikTokLatency
                : TimeSpan.Zero;
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(delay, cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (owner._current.Value is { } message)
            {
                Interlocked.Add(ref message.ApiTicks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref message.Calls);
            }

            return response;
        }
    }

    private sealed class TimedOrderWork(Overhead owner, IQueueWorkHandler<OrderWork> inner) : IQueueWorkHandler<OrderWork>
    {
        public bool Reschedules => inner.Reschedules;

        public async Task<WorkOutcome> HandleAsync(OrderWork message, Delivery delivery, CancellationToken cancellationToken)
        {
            var timing = new Message();
            owner._current.Value = timing;
            var started = Stopwatch.GetTimestamp();
            var outcome = await inner.HandleAsync(message, delivery, cancellationToken);
            owner.Messages.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, Stopwatch.GetElapsedTime(0, timing.ApiTicks).TotalMilliseconds, timing.Calls));
            return outcome;
        }

        public Task RecordWaitingAsync(OrderWork message, string reason, CancellationToken cancellationToken) =>
            inner.RecordWaitingAsync(message, reason, cancellationToken);
    }
}
