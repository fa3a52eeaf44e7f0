using Connector.Orders;
using Connector.Stores;

using Connector.TikTok;

namespace Connector.Web;

/// <summary>
/// The words the order page shows for codes (status tabs, platforms, activity kinds, failures), served as
/// <c>/api/app/labels.json</c> and built from the C# definitions, so the page keeps no copies of its own.
/// </summary>
public sealed record PageLabels(
    IReadOnlyList<StatusTab> Statuses,
    IReadOnlyDictionary<string, string> Platforms,
    IReadOnlyDictionary<string, string> ActivityKinds,
    IReadOnlyDictionary<string, FailureHelp> Failures,
    FailureHelp UnknownFailure)
{
    /// <summary>The "All" tab: every order, whatever its status.</summary>
    public const string AllTab = "ALL";

    public static PageLabels Current { get; } = Build();

    private static PageLabels Build()
    {
        StatusTab TikTokTab(string code) => new(code, TikTokStatus.Label(code), Optional: TikTokStatus.IsHeld(code), TikTok: true);
        return new PageLabels(
            [
                new StatusTab(AllTab, "All"), .. TikTokStatus.All.Select(TikTokTab),
                new StatusTab(TikTokStatus.CancellationRequested, TikTokStatus.Label(TikTokStatus.CancellationRequested)),
                new StatusTab(TikTokStatus.Failed, TikTokStatus.Label(TikTokStatus.Failed)),
            ],
            StorePlatforms.Names,
            Orders.ActivityKinds.Labels.Concat(Products.ProductActivity.Labels).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            FailureCodes.Help,
            FailureCodes.Unknown);
    }
}

/// <summary>
/// One status tab, in tab order. <paramref name="Optional"/>: shown only when it has orders (TikTok still holds them);
/// <paramref name="TikTok"/>: a TikTok status the merchant may choose to import (settings.importStatuses).
/// </summary>
public sealed record StatusTab(string Code, string Label, bool Optional = false, bool TikTok = false);
