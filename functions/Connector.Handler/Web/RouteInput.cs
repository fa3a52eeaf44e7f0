namespace Connector.Web;

/// <summary>
/// What an HTTP route accepts besides its path: the query parameters it reads and the largest body. <see cref="EdgeChecks"/>
/// refuses the rest before the route runs, the same way on every route: an unknown or repeated parameter, a value that is
/// too long or holds control characters (400), a body over the limit (413).
/// </summary>
public sealed record RouteInput(long MaxBodyBytes, IReadOnlySet<string> Query, bool ExtraQueryAllowed = false)
{
    /// <summary>Longest query value any route reads (continuation tokens are the longest, well below this).</summary>
    public const int MaxQueryValueLength = 1024;

    /// <summary>The Functions host's own parameter: the function key, which the host reads and passes on.</summary>
    public const string FunctionKeyParameter = "code";

    public static RouteInput Get(params string[] query) => new(0, query.ToHashSet(StringComparer.Ordinal));

    public static RouteInput Body(long maxBytes, params string[] query) => new(maxBytes, query.ToHashSet(StringComparer.Ordinal));

    /// <summary>A browser redirect back from TikTok or Etsy: parameters the provider adds are not ours to refuse.</summary>
    public RouteInput FromProvider() => this with { ExtraQueryAllowed = true };
}

public static class RouteInputExtensions
{
    public static TBuilder WithInput<TBuilder>(this TBuilder builder, RouteInput input)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(input);
}
