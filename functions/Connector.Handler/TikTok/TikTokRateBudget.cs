using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Connector.TikTok;

/// <summary>
/// A proactive budget for product and inventory calls (<c>/product/...</c>), per shop and operation, so a burst of stock
/// changes waits its turn here instead of meeting TikTok's 429. Reference §8.2: TikTok's limits are per app × shop ×
/// API and not fixed ([COMMUNITY] "Basic 20 QPS / Advanced 50 QPS per shop", "50 QPS per API per app"); the default
/// <see cref="TikTokOptions.ProductCallsPerSecond"/> of 10 keeps half the lowest quoted figure, as a sliding window can
/// let up to twice its limit into one clock second. The budget is per instance: several Flex instances working one
/// shop at once share TikTok's limit, and the Retry-After handling of the resilience pipeline remains behind it.
/// </summary>
public sealed class TikTokRateBudget(IOptions<TikTokOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.ProductCallsPerSecond,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = 10,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));

    /// <summary>Waits for a permit of the shop's budget for the operation; the lease is held for the call.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string shopId, string operation, CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync($"{shopId} {operation}", 1, cancellationToken);
        return lease.IsAcquired ? lease : throw new TikTokApiException(TikTokErrorCodes.TooManyRequests, "Connector's own TikTok budget for this shop is full.", null, 429);
    }

    /// <summary>The operation of a path: numeric segments (product ids) are one operation, as TikTok counts per API.</summary>
    public static string Operation(HttpMethod method, string path) =>
        method.Method + " " + string.Join('/', path.Split('/').Select(s => s.Length > 0 && s.All(char.IsAsciiDigit) ? "{id}" : s));

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// Takes a permit of <see cref="TikTokRateBudget"/> for each attempt of a shop's product call. It sits inside the
/// resilience handler (a retry spends budget too) and outside the signing handler (the timestamp is taken after the wait).
/// </summary>
public sealed class TikTokRateBudgetHandler(TikTokRateBudget budget, TimeProvider time, ILogger<TikTokRateBudgetHandler> logger) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string> ShopKey = new("connector.tiktok.shop");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (!path.StartsWith("/product/", StringComparison.Ordinal) || !request.Options.TryGetValue(ShopKey, out var shopId))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var operation = TikTokRateBudget.Operation(request.Method, path);
        var started = time.GetTimestamp();
        using var lease = await budget.AcquireAsync(shopId, operation, cancellationToken);
        var waited = time.GetElapsedTime(started);
        if (waited >= TimeSpan.FromMilliseconds(100))
        {
            TikTokBudgetLog.Waited(logger, shopId, operation, waited.TotalMilliseconds);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

internal static partial class TikTokBudgetLog
{
    [LoggerMessage(270, LogLevel.Debug, "TikTok call {Operation} of shop {ShopId} waited {WaitMs} ms for the shop's rate budget")]
    public static partial void Waited(ILogger logger, string shopId, string operation, double waitMs);
}
