namespace Connector.Orders;

/// <summary>The kinds of activity rows (<c>ActivityEntity.Kind</c>) and the label the page's timelines show for each.</summary>
public static class ActivityKinds
{
    public const string Fetch = "fetch";
    public const string Imported = "imported";
    public const string Failed = "failed";
    public const string Status = "status";
    public const string Retry = "retry";
    public const string WriteBack = "writeback";
    public const string Connection = "connection";
    public const string Action = "action";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Fetch] = "Fetch",
        [Imported] = "Imported",
        [Failed] = "Failed",
        [Status] = "Status",
        [Retry] = "Retry",
        [WriteBack] = "To TikTok",
        [Connection] = "Connection",
        [Action] = "Action",
    };
}
