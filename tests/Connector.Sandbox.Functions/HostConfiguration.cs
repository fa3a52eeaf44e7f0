using System.Globalization;
using System.Text.Json;

namespace Connector.Sandbox.Functions;

/// <summary>The parts of host.json the emulation uses (§1.2, §1.9).</summary>
public sealed record HostConfiguration
{
    public string? Version { get; init; }

    /// <summary><c>customHandler.description.defaultExecutablePath</c>.</summary>
    public string? DefaultExecutablePath { get; init; }

    /// <summary><c>customHandler.description.defaultWorkerPath</c> (appended after <see cref="Arguments"/>).</summary>
    public string? DefaultWorkerPath { get; init; }

    /// <summary><c>customHandler.description.arguments</c>, not yet expanded.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary><c>customHandler.description.workerArguments</c>, appended last.</summary>
    public IReadOnlyList<string> WorkerArguments { get; init; } = [];

    /// <summary><c>customHandler.description.workingDirectory</c>, relative to the script root.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>customHandler.enableProxyingHttpRequest</c> (or the legacy <c>enableForwardingHttpRequest</c>, §1.2).</summary>
    public bool EnableProxyingHttpRequest { get; init; }

    /// <summary><c>extensions.http.routePrefix</c>, default <c>api</c>.</summary>
    public string RoutePrefix { get; init; } = "api";

    /// <summary><c>extensions.serviceBus.maxConcurrentCalls</c> (or v4's <c>messageHandlerOptions.maxConcurrentCalls</c>), default 16 (§1.9).</summary>
    public int MaxConcurrentCalls { get; init; } = 16;

    /// <summary><c>extensions.serviceBus.maxConcurrentSessions</c> (or <c>sessionHandlerOptions.maxConcurrentSessions</c>), default 8.</summary>
    public int MaxConcurrentSessions { get; init; } = 8;

    /// <summary><c>functionTimeout</c>; default 30 minutes (the Flex Consumption default); null = unlimited (<c>-1</c>).</summary>
    public TimeSpan? FunctionTimeout { get; init; } = DefaultFunctionTimeout;

    public static readonly TimeSpan DefaultFunctionTimeout = TimeSpan.FromMinutes(30);

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    internal static HostConfiguration Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FunctionsHostStartupException($"host.json not found at '{path}'.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FunctionsHostStartupException($"host.json at '{path}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var customHandler = Json.Property(root, "customHandler");
            var description = Json.Property(customHandler, "description");
            var extensions = Json.Property(root, "extensions");
            var serviceBus = Json.Property(extensions, "serviceBus");
            var http = Json.Property(extensions, "http");

            return new HostConfiguration
            {
                Version = Json.String(root, "version"),
                DefaultExecutablePath = Json.String(description, "defaultExecutablePath"),
                DefaultWorkerPath = Json.String(description, "defaultWorkerPath"),
                Arguments = Json.StringArray(description, "arguments"),
                WorkerArguments = Json.StringArray(description, "workerArguments"),
                WorkingDirectory = Json.String(description, "workingDirectory"),
                EnableProxyingHttpRequest = Json.Bool(customHandler, "enableProxyingHttpRequest")
                    ?? Json.Bool(customHandler, "enableForwardingHttpRequest")
                    ?? Json.Bool(Json.Property(customHandler, "http"), "enableProxying")
                    ?? false,
                RoutePrefix = (Json.String(http, "routePrefix") ?? "api").Trim('/'),
                MaxConcurrentCalls = Json.Int(serviceBus, "maxConcurrentCalls")
                    ?? Json.Int(Json.Property(serviceBus, "messageHandlerOptions"), "maxConcurrentCalls")
                    ?? 16,
                MaxConcurrentSessions = Json.Int(serviceBus, "maxConcurrentSessions")
                    ?? Json.Int(Json.Property(serviceBus, "sessionHandlerOptions"), "maxConcurrentSessions")
                    ?? 8,
                FunctionTimeout = ParseTimeout(Json.String(root, "functionTimeout")),
            };
        }
    }

    private static TimeSpan? ParseTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultFunctionTimeout;
        }

        if (value.Trim() == "-1")
        {
            return null;
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : throw new FunctionsHostStartupException($"host.json functionTimeout '{value}' is not a time span (hh:mm:ss) or -1.");
    }
}

/// <summary>Case-insensitive JSON lookups (the host binds configuration case-insensitively).</summary>
internal static class Json
{
    public static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } obj)
        {
            return null;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public static string? String(JsonElement? element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } value => value.GetRawText(),
        _ => null,
    };

    public static bool? Bool(JsonElement? element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } value when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    public static int? Int(JsonElement? element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var parsed) => parsed,
        { ValueKind: JsonValueKind.String } value when int.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public static IReadOnlyList<string> StringArray(JsonElement? element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText())],
        { ValueKind: JsonValueKind.String } value => [value.GetString()!],
        _ => [],
    };
}
