namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>What a webservice call produced, before it is rendered as XML or JSON.</summary>
internal abstract record WsOutcome;

/// <summary>Objects to print: one entity (details view) or a list.</summary>
internal sealed record WsRowsOutcome(int Status, WsResource Resource, IReadOnlyList<WsRow> Rows, bool Details) : WsOutcome;

/// <summary>WebserviceRequest::setError entries (code, message) with the HTTP status of the last one.</summary>
internal sealed record WsErrorOutcome(int Status, IReadOnlyList<(int Code, string Message)> Errors) : WsOutcome
{
    public static WsErrorOutcome One(int status, int code, string message) => new(status, [(code, message)]);
}

/// <summary>An answer that bypasses the webservice renderer: PHP's die() text, an empty fatal-error 500, an empty 404.</summary>
internal sealed record WsRawOutcome(int Status, string ContentType, string Body) : WsOutcome;

/// <summary>An entity read from a POST/PUT/PATCH body: the fields present (lang fields flattened) and associations.</summary>
internal sealed record WsEntityInput(
    string? Id,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, List<Dictionary<string, string>>> Associations);
