namespace Connector.State;

/// <summary>
/// Azure Table Storage limits (learn.microsoft.com, "Understanding the Table service data model"): a string property
/// holds at most 64 KiB as UTF-16, i.e. 32,768 characters; an entity at most 1 MiB. Azurite enforces the same.
/// </summary>
public static class TableLimits
{
    /// <summary>The most characters Connector writes into one string property (a margin under 32,768).</summary>
    public const int MaxStringChars = 32_000;

    /// <summary>Cuts text that would not fit one string property, saying that it was cut.</summary>
    public static string? Fit(string? text) =>
        text is null || text.Length <= MaxStringChars ? text : string.Concat(text.AsSpan(0, MaxStringChars - 1), "…");
}
