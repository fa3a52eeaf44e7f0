using System.Net.Http.Headers;
using System.Text;

namespace Connector.Sandbox.Shopify.Webhooks;

/// <summary>
/// Sends webhooks in the background, never inside a GraphQL request: first attempts one at a time in publish order
/// (so one order's changes go out in change order), retries on a non-2xx answer or no answer within the timeout per
/// the retry schedule (in the background, so a retry may arrive after a later webhook, as on Shopify), with optional
/// drops and duplicates. Every attempt is recorded.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly ShopifySimulatorOptions _options;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<ShopifyWebhookDelivery> _deliveries = [];
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly WebhookOutbox<Webhook> _outbox;

    public WebhookDispatcher(ShopifySimulatorOptions options)
    {
        _options = options;
        _random = options.WebhookRandomSeed is { } seed ? new Random(seed) : new Random();
        _outbox = new WebhookOutbox<Webhook>(DeliverAsync);
    }

    /// <summary>One webhook: what every attempt of it sends.</summary>
    internal sealed record Webhook(
        string ShopName,
        string SubscriptionId,
        string Topic,
        string Uri,
        string WebhookId,
        string EventId,
        string OrderId,
        byte[] Body,
        IReadOnlyDictionary<string, string> Headers,
        bool IsDuplicate = false);

    public IReadOnlyList<ShopifyWebhookDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Queues a webhook (or records it as dropped). Cheap: callers hold their shop's lock.</summary>
    public void Publish(Webhook webhook)
    {
        bool drop, duplicate;
        lock (_gate)
        {
            drop = _options.WebhookDropProbability > 0 && _random.NextDouble() < _options.WebhookDropProbability;
            duplicate = !drop && _options.WebhookDuplicateProbability > 0 && _random.NextDouble() < _options.WebhookDuplicateProbability;
        }

        if (drop)
        {
            Record(webhook, attempt: 0, status: null, error: "dropped", dropped: true);
            return;
        }

        _outbox.Enqueue(webhook);
        if (duplicate)
        {
            _outbox.Enqueue(webhook with { IsDuplicate = true });
        }
    }

    /// <summary>Completes when every queued webhook has been answered 2xx or has used up its retries.</summary>
    public Task WaitForIdleAsync(TimeSpan timeout) => _outbox.WaitForIdleAsync(timeout, "Shopify webhook(s)");

    public async ValueTask DisposeAsync()
    {
        await _outbox.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>First attempts one at a time, in change order (the outbox's order); retries in the background.</summary>
    private Task DeliverAsync(Webhook webhook, CancellationToken stop) =>
        WebhookRetries.DeliverAsync(
            (attempt, ct) => AttemptAsync(webhook, attempt, ct), _options.WebhookRetrySchedule, _options.TimeProvider, _outbox.Done, stop);

    private async Task<bool> AttemptAsync(Webhook webhook, int attempt, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Uri) { Content = new ByteArrayContent(webhook.Body) };
        foreach (var (name, value) in webhook.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var (status, error) = await WebhookRetries.PostAsync(_http, request, _options.WebhookTimeout, stop);
        Record(webhook, attempt, status, error, dropped: false);
        return status is >= 200 and < 300;
    }

    private void Record(Webhook webhook, int attempt, int? status, string? error, bool dropped)
    {
        var delivery = new ShopifyWebhookDelivery
        {
            ShopName = webhook.ShopName,
            SubscriptionId = webhook.SubscriptionId,
            Topic = webhook.Topic,
            Uri = webhook.Uri,
            WebhookId = webhook.WebhookId,
            EventId = webhook.EventId,
            OrderId = webhook.OrderId,
            Body = Encoding.UTF8.GetString(webhook.Body),
            Headers = webhook.Headers,
            Attempt = attempt,
            IsDuplicate = webhook.IsDuplicate,
            Dropped = dropped,
            ResponseStatus = status,
            Error = error,
            Time = _options.TimeProvider.GetUtcNow(),
        };
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
    }
}
