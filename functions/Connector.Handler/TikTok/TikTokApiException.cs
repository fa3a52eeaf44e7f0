namespace Connector.TikTok;

/// <summary>TikTok answered with <c>code != 0</c> (reference/tiktok-shop-api.md §8.1).</summary>
public sealed class TikTokApiException(int code, string message, string? requestId, int httpStatus)
    : Exception($"TikTok API error {code}: {message}")
{
    public int Code { get; } = code;
    public string TikTokMessage { get; } = message;
    public string? RequestId { get; } = requestId;
    public int HttpStatus { get; } = httpStatus;

    /// <summary>Rate limiting, internal errors and timeouts: a later attempt can succeed (§8.1, §8.2).</summary>
    public bool IsTransient => HttpStatus is 429 or >= 500 || Code is TikTokErrorCodes.TooManyRequests or TikTokErrorCodes.InternalError
        or TikTokErrorCodes.RequestTimeout or 10002014 or 10002015 or (>= 10037002 and <= 10037004) or 10006402;
}

public static class TikTokErrorCodes
{
    public const int ExpiredAccessToken = 105002;
    public const int AccessDenied = 105005;
    public const int InvalidSign = 106001;
    public const int RefreshTokenExpired = 36004001;
    public const int TooManyRequests = 36009002;
    public const int InternalError = 36009003;
    public const int InvalidRequest = 36009004;
    public const int RequestTimeout = 36009007;
}
