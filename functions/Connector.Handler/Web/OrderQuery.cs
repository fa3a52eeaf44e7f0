using System.Globalization;

using Connector.TikTok;

namespace Connector.Web;

/// <summary>The order grid's query string: status tab, search and the "More filters" (all combine).</summary>
public sealed record OrderQuery
{
    /// <summary>Every query parameter the grid reads (the route refuses others).</summary>
    public static readonly string[] Parameters =
        ["shopId", "status", "q", "createdFrom", "createdTo", "fulfilledBy", "logisticMode", "customer", "product", "productId", "pageSize", "continuation"];

    public required string ShopId { get; init; }
    public string? Status { get; init; }
    public string? Search { get; init; }
    public long? CreatedFrom { get; init; }
    public long? CreatedTo { get; init; }
    public string? FulfilledBy { get; init; }
    public string? LogisticMode { get; init; }
    public string? Customer { get; init; }
    public string? Product { get; init; }
    public string? ProductId { get; init; }
    public int PageSize { get; init; } = 50;
    public string? Continuation { get; init; }

    public static (OrderQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value.Trim() : null;

        var shopId = Text("shopId");
        if (!ShopIds.IsValid(shopId))
        {
            errors["shopId"] = ["Required. " + ShopIds.Rule];
        }

        var status = Text("status")?.ToUpperInvariant();
        if (status is not null and not "ALL" && !TikTokStatus.All.Contains(status) && !TikTokStatus.MerchantOnly.Contains(status))
        {
            errors["status"] = [$"One of ALL, {string.Join(", ", TikTokStatus.All.Concat(TikTokStatus.MerchantOnly))}."];
        }

        long? Time(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return date.ToUnixTimeSeconds();
            }

            errors[name] = ["Unix seconds or an ISO 8601 date/time."];
            return null;
        }

        var from = Time("createdFrom");
        var to = Time("createdTo");
        if (from is { } f && to is { } t && f >= t)
        {
            errors["createdTo"] = ["Must be after createdFrom."];
        }

        var pageSize = 50;
        if (Text("pageSize") is { } size && (!int.TryParse(size, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 200))
        {
            errors["pageSize"] = ["1 to 200."];
        }

        var fulfilledBy = Text("fulfilledBy");
        if (fulfilledBy is not null and not "Seller" and not "TikTok")
        {
            errors["fulfilledBy"] = ["Seller or TikTok."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new OrderQuery
        {
            ShopId = shopId!,
            Status = status is "ALL" ? null : status,
            Search = Text("q"),
            CreatedFrom = from,
            CreatedTo = to,
            FulfilledBy = fulfilledBy,
            LogisticMode = Text("logisticMode"),
            Customer = Text("customer"),
            Product = Text("product"),
            ProductId = Text("productId"),
            PageSize = pageSize,
            Continuation = Text("continuation"),
        }, errors);
    }

    /// <summary>The pointer matches every filter that the index can answer (the row is checked afterwards).</summary>
    public bool Matches(State.OrderIndexEntity entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        static bool Contains(string? haystack, string? needle) =>
            needle is null || (haystack?.Contains(needle, StringComparison.OrdinalIgnoreCase) ?? false);

        return (FulfilledBy is null || string.Equals(entry.FulfilledBy, FulfilledBy, StringComparison.OrdinalIgnoreCase))
            && (LogisticMode is null || string.Equals(entry.LogisticMode, LogisticMode, StringComparison.OrdinalIgnoreCase))
            && Contains(entry.CustomerName, Customer)
            && Contains(entry.ProductNames, Product)
            && (ProductId is null || (entry.ProductIds?.Split(',').Contains(ProductId, StringComparer.Ordinal) ?? false))
            && (Search is null || entry.OrderId.Contains(Search, StringComparison.Ordinal) || Contains(entry.CustomerName, Search));
    }
}
