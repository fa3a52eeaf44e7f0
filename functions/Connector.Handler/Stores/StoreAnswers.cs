using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Connector.Stores;

/// <summary>
/// What every store client makes of an answer it did not expect: a redirect (never followed with credentials), a body that is
/// not the API's format, no answer at all, a refused address. The messages say what came back (status, content type, a short
/// excerpt without secrets) so the merchant can recognise a wrong address, a login page or a maintenance page.
/// </summary>
public static partial class StoreAnswers
{
    /// <summary>JSON deeper than this is not an answer of any store API (theirs nest a handful of levels).</summary>
    public const int MaxJsonDepth = 64;

    public const int MaxCredentialLength = 2048;

    private const int ExcerptLength = 160;

    public static readonly JsonDocumentOptions JsonLimits = new() { MaxDepth = MaxJsonDepth };

    /// <summary>
    /// The store exception for a call that failed without an answer (refused address, no connection, timeout), or null when
    /// <paramref name="error"/> is none of those (the caller's own cancellation included): rethrow it then.
    /// </summary>
    public static Exception? FromTransport(Exception error, string store, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Find<StoreAddressRefusedException>(error) is { } refused)
        {
            return new StoreRejectedException(refused.Message, "store.baseUrl");
        }

        var where = $"{store} at {Authority(baseUrl)}";
        return error switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            Polly.Timeout.TimeoutRejectedException t => new StoreUnavailableException(
                $"{where} did not answer within {t.Timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s.", t, StoreFailure.NoAnswer),
            TimeoutException or OperationCanceledException => new StoreUnavailableException($"{where} did not answer in time.", error, StoreFailure.NoAnswer),
            HttpRequestException h when Find<TimeoutException>(h) is not null => new StoreUnavailableException($"{where} did not answer in time.", h, StoreFailure.NoAnswer),
            HttpRequestException h => new StoreUnavailableException($"{where} could not be reached: {h.Message}", h),
            Polly.CircuitBreaker.BrokenCircuitException b => new StoreUnavailableException($"{where} keeps failing; paused for a moment.", b),
            _ => null,
        };
    }

    /// <summary>A 3xx: where the store sends us, never followed (the credentials would go along).</summary>
    public static StoreUnavailableException Redirected(string store, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Redirected(store, (int)response.StatusCode, response.Headers.Location, response.RequestMessage?.RequestUri);
    }

    /// <summary>A 3xx answer to <paramref name="requested"/> with its <c>Location</c> (relative or absolute).</summary>
    public static StoreUnavailableException Redirected(string store, int status, Uri? location, Uri? requested)
    {
        if (location is not null && !location.IsAbsoluteUri && requested is not null)
        {
            location = new Uri(requested, location);
        }

        if (location is null || !location.IsAbsoluteUri)
        {
            return new StoreUnavailableException($"{store} answered HTTP {status}, a redirect without saying where to; check the store address.", StoreFailure.Redirected);
        }

        var target = StoreAddressPolicy.Display(location);
        return new StoreUnavailableException(
            $"{store} answered HTTP {status}, redirecting to {target}. Connector never follows a redirect with the store's credentials: "
            + $"if the store now lives at {location.Scheme}://{location.Authority}, connect it with that address (store.baseUrl).",
            StoreFailure.Redirected);
    }

    /// <summary>An answer that is not what the store's API returns, described by what came back.</summary>
    public static StoreUnavailableException Unexpected(
        string store, string expected, int status, string? contentType, string body, JsonException? parseError, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(body);
        var what = body.Length == 0 ? "an empty body"
            : parseError is not null && parseError.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"JSON nested deeper than {MaxJsonDepth} levels ({Excerpt(body, contentType, secrets)})"
                : Excerpt(body, contentType, secrets);
        return new StoreUnavailableException(
            $"{store} answered HTTP {status} with {what} instead of {expected}; check that the store address is the store's own.",
            parseError,
            StoreFailure.UnexpectedAnswer);
    }

    /// <summary>Parses a JSON answer within <see cref="JsonLimits"/>; the error for anything else is <see cref="Unexpected"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode ParseJson(
        string store, string expected, int status, string? contentType, string body, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body, documentOptions: JsonLimits)
                ?? throw Unexpected(store, expected, status, contentType, body, null, secrets);
        }
        catch (JsonException e)
        {
            throw Unexpected(store, expected, status, contentType, body, e, secrets);
        }
    }

    /// <summary>Why a credential cannot be an HTTP header value (line breaks, spaces, non-ASCII, absurd length), or null.</summary>
    public static string? CheckCredential(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxCredentialLength)
        {
            return $"Too long ({value.Length} characters); a credential is at most {MaxCredentialLength}.";
        }

        return IsHeaderSafe(value)
            ? null
            : "Contains a line break, space or other character that cannot be sent in an HTTP header; paste the value exactly as the store shows it.";
    }

    /// <summary>Visible ASCII only: what an HTTP header value can carry without being refused or split.</summary>
    public static bool IsHeaderSafe(string value) => value.All(c => c is >= '!' and <= '~');

    /// <summary>A stored credential about to go into a header; a bad one (saved before it was checked) fails the call with the field to fix.</summary>
    public static string HeaderValue(string value, string store, string field)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CheckCredential(value) is { } problem
            ? throw new StoreRejectedException($"The stored {store} credential ({field}) cannot be sent: {problem} Connect the store again.", field)
            : value;
    }

    /// <summary>scheme://host[:port] of a stored base URL (no user info), for messages.</summary>
    public static string Authority(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "the store address";

    /// <summary>A short, printable, tag-free excerpt with the content type; secrets are blanked out.</summary>
    public static string Excerpt(string body, string? contentType, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = body.Length > 4000 ? body[..4000] : body;
        text = Tags().Replace(text, " ");
        var printable = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            printable.Append(char.IsControl(c) || char.IsSurrogate(c) || c == '"' ? ' ' : c);
        }

        text = Spaces().Replace(printable.ToString(), " ").Trim();
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= 4 })
            {
                text = text.Replace(secret, "[secret]", StringComparison.Ordinal);
            }
        }

        text = text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "...";
        var type = string.IsNullOrEmpty(contentType) ? "no content type" : StoreAddressPolicy.Printable(contentType, 60);
        return $"{type}: \"{text}\"";
    }

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    [GeneratedRegex("<[^>]*>", RegexOptions.None, 1000)]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+", RegexOptions.None, 1000)]
    private static partial Regex Spaces();
}
