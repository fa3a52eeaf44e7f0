using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.Web;

/// <summary>
/// Problem-details answers (RFC 9457) and safe JSON body reading: bad input is a 4xx naming the field, never a 500, and no
/// answer names a .NET type or carries a stack.
/// </summary>
public static class Problems
{
    /// <summary>Request bodies deeper than this are not anything Connector's routes accept.</summary>
    public const int MaxJsonDepth = 16;

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult TooLarge(long maxBytes) =>
        TypedResults.Problem(detail: $"The body is larger than this route accepts ({maxBytes:N0} bytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large.");

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable; retry.");

    /// <summary>Reads a JSON body; malformed, empty or wrongly shaped JSON yields a 400 problem naming the field instead.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonOptions, cancellationToken);
            return value is null ? (null, BadRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, JsonProblem(e));
        }
    }

    /// <summary>
    /// What went wrong with a body, in the caller's words: the JSON path as a field name and the kind of mistake.
    /// System.Text.Json's own messages name .NET types, so they never leave.
    /// </summary>
    public static IResult JsonProblem(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var field = FieldName(e.Path);
        if (field is null || e.InnerException?.GetType().Name == "JsonReaderException")
        {
            // The reader's error: the text is not JSON (or not one JSON value) at all.
            return BadRequest($"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        var text = e.Message;
        var message = text.Contains("could not be mapped", StringComparison.Ordinal) ? "Not a field of this request."
            : text.Contains("null", StringComparison.OrdinalIgnoreCase) ? "May not be null."
            : text.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $"Nested deeper than {MaxJsonDepth} levels."
            : "Has the wrong type (a string, number, boolean, array or object where another is expected).";
        return Invalid(field, message);
    }

    /// <summary><c>$.settings.importStatuses[0]</c> → <c>settings.importStatuses[0]</c>; the root has no field name.</summary>
    private static string? FieldName(string? path) =>
        path is null || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>
    /// Strict reading: a null where the model has no null, and a field the model does not have, are refused rather than
    /// turned into a crash later or silently dropped.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = MaxJsonDepth,
    };
}
