namespace Connector.Stores;

/// <summary>
/// The store refused the order for a reason a retry will not fix (validation, missing stock, ...). <see cref="Field"/> names the
/// connection field to fix when it is one (<c>store.baseUrl</c>, <c>store.accessToken</c>); null means the store part as a whole.
/// </summary>
public sealed class StoreRejectedException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>The store is throttling, unavailable or answered something its API never does: redeliver later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null, StoreFailure failure = StoreFailure.Unavailable) : Exception(message, inner)
{
    public StoreUnavailableException(string message, StoreFailure failure)
        : this(message, null, failure)
    {
    }

    /// <summary>What went wrong, so the connection check can answer 502 or 504 with the right words.</summary>
    public StoreFailure Failure { get; } = failure;
}

/// <summary>Why a store call did not succeed when the store itself did not say no.</summary>
public enum StoreFailure
{
    /// <summary>Could not connect, throttled, or a 5xx.</summary>
    Unavailable,

    /// <summary>Connected (or tried to) but no answer came within the time allowed.</summary>
    NoAnswer,

    /// <summary>An answer that is not what the store's API returns (HTML, an empty body, another format, absurdly deep JSON).</summary>
    UnexpectedAnswer,

    /// <summary>A 3xx: the store lives at another address; the redirect is never followed with credentials.</summary>
    Redirected,
}
