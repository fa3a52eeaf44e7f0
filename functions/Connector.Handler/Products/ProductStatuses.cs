namespace Connector.Products;

/// <summary>
/// The six statuses of the merchant's Products page (seed 004), from TikTok's product status (product.json SearchProducts
/// <c>status</c>): ACTIVATE → Live; FAILED → Failed; PENDING → Reviewing; DRAFT → In progress; SELLER_DEACTIVATED,
/// PLATFORM_DEACTIVATED, FREEZE and DELETED → Inactive; no TikTok product for a store SKU → Not Uploaded.
/// </summary>
public static class ProductStatuses
{
    public const string Live = "LIVE";
    public const string Failed = "FAILED";
    public const string NotUploaded = "NOT_UPLOADED";
    public const string Inactive = "INACTIVE";
    public const string InProgress = "IN_PROGRESS";
    public const string Reviewing = "REVIEWING";

    public static IReadOnlyList<string> All { get; } = [Live, Failed, NotUploaded, Inactive, InProgress, Reviewing];

    /// <summary>The seed status of a TikTok status; null (no TikTok product) is Not Uploaded; an unknown status is In progress.</summary>
    public static string FromTikTok(string? tiktokStatus) => tiktokStatus switch
    {
        null or "" => NotUploaded,
        "ACTIVATE" => Live,
        "FAILED" => Failed,
        "PENDING" => Reviewing,
        "DRAFT" => InProgress,
        "SELLER_DEACTIVATED" or "PLATFORM_DEACTIVATED" or "FREEZE" or "DELETED" => Inactive,
        _ => InProgress,
    };

    public static string Label(string status) => status switch
    {
        Live => "Live",
        Failed => "Failed",
        NotUploaded => "Not Uploaded",
        Inactive => "Inactive",
        InProgress => "In progress",
        Reviewing => "Reviewing",
        _ => status,
    };

    public static bool IsValid(string? status) => status is not null && All.Contains(status);
}
