using System.Text.Json.Serialization;

namespace Connector.Functions;

/// <summary>
/// The JSON result a custom handler returns for non-HTTP invocations. The host reads an empty 2xx body as a null
/// result and does not complete the invocation, so every 2xx answer carries this object (design §2).
/// </summary>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResult Completed(params string[] logs) =>
        new(new Dictionary<string, object?>(), logs, null);
}
