using System.Globalization;
using Connector.Diagnostics;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// Etsy's per-second allowance (store-apis.md §3.4: per app, default 10/s; <c>x-limit-per-second</c>,
/// <c>x-remaining-this-second</c>, <c>retry-after</c> on 429) as a <see cref="RateBudget"/> that every attempt of every
/// Etsy call in this process draws on: requests are spaced at the allowance Etsy reports, so they are not refused, and a
/// 429 holds every call back for its <c>retry-after</c>. Sits inside the retry, so a retried attempt waits its turn too.
/// </summary>
public sealed class EtsyBudgetHandler(StoreBudgets budgets, IOptions<EtsyOptions> options, ILogger<EtsyBudgetHandler> logger) : DelegatingHandler
{
    /// <summary>
    /// Etsy counts requests over a sliding second as they arrive; requests leave here evenly spaced but arrive a little
    /// bunched, so the spacing keeps this share of the allowance in reserve.
    /// </summary>
    private const double Margin = 0.95;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var perSecond = Math.Max(1, settings.RequestsPerSecond) * Margin;

        // A bucket of one: no burst beyond the allowance, one request every 1/limit seconds.
        var budget = budgets.For(StorePlatforms.Etsy, settings.Keystring ?? "", 1, perSecond);
        if (!await budget.AcquireAsync(1, settings.MaxRetryAfter, cancellationToken))
        {
            CostLog.BudgetBooked(logger, "app", StorePlatforms.Etsy, settings.MaxRetryAfter);
            throw new StoreUnavailableException($"Etsy's request allowance is booked for more than {settings.MaxRetryAfter.TotalSeconds:0} s; the work will be retried later.");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (Header(response, "x-limit-per-second") is { } limit and > 0)
        {
            budget.Observe(1, Header(response, "x-remaining-this-second") is 0 ? 0 : 1, limit * Margin);
        }

        if ((int)response.StatusCode == 429)
        {
            budget.Pause(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        return response;
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
