namespace Connector.Web;

/// <summary>
/// Runs before every HTTP route: applies the route's <see cref="RouteInput"/> (query parameters, body limit) and turns
/// Kestrel's own refusals (a body over the limit while it is read, a malformed request) into problem answers instead of
/// unhandled exceptions. Routes without a <see cref="RouteInput"/> (the host's trigger calls) accept no body limit change.
/// </summary>
public sealed class EdgeChecks(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetEndpoint()?.Metadata.GetMetadata<RouteInput>();
        if (input is not null)
        {
            if (Refusal(context.Request, input) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }

            context.Request.Body = new LimitedBodyStream(context.Request.Body, input.MaxBodyBytes);
        }

        try
        {
            await next(context);
        }
        catch (LimitedBodyStream.TooLargeException) when (!context.Response.HasStarted)
        {
            // Read the rest (Kestrel's own limit bounds it) so the caller, or the host forwarding for it, sees the answer
            // instead of a connection reset in the middle of its upload.
            await LimitedBodyStream.DrainAsync(context.Request.Body, context.RequestAborted);
            context.Response.Clear();
            await Problems.TooLarge(input!.MaxBodyBytes).ExecuteAsync(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's refusal while the route reads the body (over the limit, cut short): the client's fault, said plainly.
            var answer = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.TooLarge(input?.MaxBodyBytes ?? 0)
                : TypedResults.Problem(statusCode: e.StatusCode, title: "The request could not be read.", detail: "The request was malformed or cut short.");
            context.Response.Clear();
            await answer.ExecuteAsync(context);
        }
    }

    private static IResult? Refusal(HttpRequest request, RouteInput input)
    {
        if (request.ContentLength > input.MaxBodyBytes)
        {
            return Problems.TooLarge(input.MaxBodyBytes);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            var known = input.Query.Contains(name) || name == RouteInput.FunctionKeyParameter;
            if (!known && !input.ExtraQueryAllowed)
            {
                errors[Shown(name)] = [$"Not a parameter of this route; it accepts {(input.Query.Count == 0 ? "none" : string.Join(", ", input.Query.Order(StringComparer.Ordinal)))}."];
            }
            else if (known && values.Count > 1)
            {
                errors[name] = ["Given more than once; give it once."];
            }
            else if (known && values.ToString() is { } value && (value.Length > RouteInput.MaxQueryValueLength || value.Any(char.IsControl)))
            {
                errors[name] = [$"At most {RouteInput.MaxQueryValueLength} characters, without control characters."];
            }
        }

        return errors.Count == 0 ? null : Problems.Invalid(errors);
    }

    /// <summary>An unknown parameter's name is echoed only when it is short plain text.</summary>
    private static string Shown(string name) =>
        name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? name : "(unknown parameter)";
}
