using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// Sends §7 webhooks: envelope {type, tts_notification_id, shop_id, timestamp, data}, header Authorization = lowercase hex
/// HMAC-SHA256(app_secret, app_key + raw body), retries on a non-2xx answer (or none within the timeout) per the retry
/// schedule, with optional duplicates, drops and reordering.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly TikTokSimulatorOptions _options;
    private readonly SimIds _ids;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<SimWebhookDelivery> _deliveries = [];
    private readonly Lock _gate = new();
    private readonly WebhookOutbox<Notification> _outbox;
    private Uri? _url;

    public WebhookDispatcher(TikTokSimulatorOptions options, SimIds ids)
    {
        _options = options;
        _ids = ids;
        _url = options.WebhookUrl;
        _outbox = new WebhookOutbox<Notification>(ConsumeAsync);
    }

    private sealed record Notification(string Id, int Type, string ShopId, Uri Url, byte[] Body, string Signature, bool IsDuplicate);

    public Uri? Url
    {
        get => Volatile.Read(ref _url);
        set => Volatile.Write(ref _url, value);
    }

    public IReadOnlyList<SimWebhookDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>
    /// Queues one notification to <paramref name="subscribedUrl"/> (a shop's Events API subscription) or else the app's URL;
    /// nothing when neither is set. Call order is send order unless reordering is on.
    /// </summary>
    public string? Publish(int type, string shopId, JsonObject data, Uri? subscribedUrl = null)
    {
        var url = subscribedUrl ?? Url;
        if (url is null)
        {
            return null;
        }

        var id = _ids.NotificationId();
        var envelope = new JsonObject
        {
            ["type"] = type,
            ["tts_notification_id"] = id,
            ["shop_id"] = shopId,
            ["timestamp"] = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
            ["data"] = data,
        };
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString(TikTokSimulator.WireJson));
        var signature = SimSigning.WebhookSign(_options.AppKey, _options.AppSecret, body);
        var notification = new Notification(id, type, shopId, url, body, signature, false);
        if (_options.WebhookDropProbability > 0 && _ids.NextDouble() < _options.WebhookDropProbability)
        {
            Add(notification, attempt: 0, status: null, error: "dropped", dropped: true);
            return id;
        }

        _outbox.Enqueue(notification);
        if (_options.WebhookDuplicateProbability > 0 && _ids.NextDouble() < _options.WebhookDuplicateProbability)
        {
            _outbox.Enqueue(notification with { IsDuplicate = true });
        }

        return id;
    }

    /// <summary>Waits until every queued notification has been answered 2xx or has used up its retries.</summary>
    public Task WaitForIdleAsync(TimeSpan timeout) => _outbox.WaitForIdleAsync(timeout, "webhook notification(s)");

    public async ValueTask DisposeAsync()
    {
        await _outbox.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>In publish order, unless reordering is on: then each waits a random moment in the background first.</summary>
    private async Task ConsumeAsync(Notification notification, CancellationToken stop)
    {
        if (_options.WebhookReorder)
        {
            var delay = TimeSpan.FromMilliseconds(_ids.NextDouble() * _options.WebhookReorderMaxDelay.TotalMilliseconds);
            _ = Task.Run(
                async () =>
                {
                    await Task.Delay(delay, _options.TimeProvider, stop);
                    await DeliverAsync(notification, stop);
                },
                stop);
        }
        else
        {
            await DeliverAsync(notification, stop);
        }
    }

    /// <summary>First attempt now; retries in the background so later notifications are not held up.</summary>
    private Task DeliverAsync(Notification notification, CancellationToken stop) =>
        WebhookRetries.DeliverAsync(
            (attempt, ct) => AttemptAsync(notification, attempt, ct), _options.WebhookRetrySchedule, _options.TimeProvider,
            _outbox.Done, stop);

    private async Task<bool> AttemptAsync(Notification notification, int attempt, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, notification.Url)
        {
            Content = new ByteArrayContent(notification.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", notification.Signature);
        var (status, error) = await WebhookRetries.PostAsync(_http, request, _options.WebhookTimeout, stop);
        Add(notification, attempt, status, error, dropped: false);
        return status is >= 200 and < 300;
    }

    private void Add(Notification n, int attempt, int? status, string? error, bool dropped)
    {
        var delivery = new SimWebhookDelivery
        {
            NotificationId = n.Id,
            Type = n.Type,
            ShopId = n.ShopId,
            Url = n.Url,
            Body = Encoding.UTF8.GetString(n.Body),
            Signature = n.Signature,
            Attempt = attempt,
            IsDuplicate = n.IsDuplicate,
            Dropped = dropped,
            Time = _options.TimeProvider.GetUtcNow(),
            ResponseStatus = status,
            Error = error,
        };
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
    }
}
