using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Functions;

/// <summary>One function: a folder named after it holding function.json (§1.4).</summary>
public sealed record FunctionDefinition
{
    public required string Name { get; init; }

    /// <summary>The folder that holds function.json.</summary>
    public required string Directory { get; init; }

    /// <summary>The trigger binding's type as written: <c>timerTrigger</c>, <c>serviceBusTrigger</c>, <c>httpTrigger</c>, ...</summary>
    public required string TriggerType { get; init; }

    /// <summary>The trigger binding's <c>name</c>: the key under <c>Data</c> in JSON invocations (§1.5).</summary>
    public required string TriggerBindingName { get; init; }

    /// <summary>The <c>bindings</c> array as JSON text, with <c>%Name%</c> settings expanded.</summary>
    public required string BindingsJson { get; init; }

    /// <summary>function.json as read from disk (not expanded).</summary>
    public required string FunctionJson { get; init; }

    /// <summary>HTTP route template after the route prefix (function.json <c>route</c>, default the function name).</summary>
    public string? Route { get; init; }

    /// <summary>Allowed HTTP methods in upper case; empty = any.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary><c>anonymous</c>, <c>function</c> (the default for httpTrigger) or <c>admin</c>; null for other triggers.</summary>
    public string? AuthLevel { get; init; }

    /// <summary>Expanded <c>queueName</c> of a serviceBusTrigger.</summary>
    public string? QueueName { get; init; }

    /// <summary>Expanded <c>schedule</c> of a timerTrigger.</summary>
    public string? Schedule { get; init; }

    /// <summary>A timerTrigger's <c>runOnStartup</c>.</summary>
    public bool RunOnStartup { get; init; }

    /// <summary>A serviceBusTrigger's <c>isSessionsEnabled</c>.</summary>
    public bool IsSessionsEnabled { get; init; }

    /// <summary>HTTP trigger + one http output and proxying enabled: the request is forwarded as is (§1.7).</summary>
    public bool IsProxied { get; init; }

    /// <summary>The http output binding's name (<c>res</c>, or <c>$return</c>) for the JSON payload form.</summary>
    public string? HttpOutputBindingName { get; init; }

    /// <summary>function.json <c>"disabled": true</c>, or app setting <c>AzureWebJobs.{Name}.Disabled</c> = true: never triggered.</summary>
    public bool IsDisabled { get; init; }

    public bool IsHttp => string.Equals(TriggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => string.Equals(TriggerType, "timerTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsServiceBus => string.Equals(TriggerType, "serviceBusTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bindings as parsed JSON (expanded).</summary>
    public JsonArray GetBindings() => JsonNode.Parse(BindingsJson)!.AsArray();
}

internal static class FunctionLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IReadOnlyList<FunctionDefinition> Load(string scriptRoot, IEnumerable<string> functionDirectories, IDictionary<string, string> settings, bool enableProxying)
    {
        var roots = functionDirectories.Select(d => Path.GetFullPath(Path.Combine(scriptRoot, d))).ToList();
        if (roots.Count == 0)
        {
            roots.Add(scriptRoot);
        }

        var functions = new Dictionary<string, FunctionDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in roots)
        {
            if (!System.IO.Directory.Exists(root))
            {
                throw new FunctionsHostStartupException($"Function directory '{root}' does not exist.");
            }

            foreach (var folder in System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(folder, "function.json");
                if (!File.Exists(file))
                {
                    continue;
                }

                var function = Parse(Path.GetFileName(folder), folder, File.ReadAllText(file), settings, enableProxying);
                if (!functions.TryAdd(function.Name, function))
                {
                    throw new FunctionsHostStartupException($"Function '{function.Name}' is defined twice: '{functions[function.Name].Directory}' and '{folder}'.");
                }
            }
        }

        return [.. functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    internal static FunctionDefinition Parse(string name, string folder, string functionJson, IDictionary<string, string> settings, bool enableProxying)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(functionJson, documentOptions: JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FunctionsHostStartupException($"{name}/function.json is not valid JSON: {ex.Message}", ex);
        }

        if (node is not JsonObject root || Get(root, "bindings") is not JsonArray bindings)
        {
            throw new FunctionsHostStartupException($"{name}/function.json has no 'bindings' array.");
        }

        // The host resolves %AppSetting% references in binding properties (queueName, schedule, ...).
        ExpandSettings(bindings, settings, $"{name}/function.json");

        var objects = bindings.OfType<JsonObject>().ToList();
        var triggers = objects.Where(b => (Text(b, "type") ?? string.Empty).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase)).ToList();
        if (triggers.Count != 1)
        {
            throw new FunctionsHostStartupException($"{name}/function.json must have exactly one trigger binding (found {triggers.Count}).");
        }

        var trigger = triggers[0];
        var triggerType = Text(trigger, "type")!;
        var triggerName = Text(trigger, "name") ?? throw new FunctionsHostStartupException($"{name}/function.json: the trigger binding has no 'name'.");
        var httpOutputs = objects.Where(b => string.Equals(Text(b, "type"), "http", StringComparison.OrdinalIgnoreCase)
            && string.Equals(Text(b, "direction"), "out", StringComparison.OrdinalIgnoreCase)).ToList();
        var isHttp = string.Equals(triggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase);
        var disabled = Get(root, "disabled") is JsonValue d && (d.TryGetValue<bool>(out var b1) ? b1 : string.Equals(d.ToString(), "true", StringComparison.OrdinalIgnoreCase))
            || (settings.TryGetValue($"AzureWebJobs.{name}.Disabled", out var setting) && string.Equals(setting, "true", StringComparison.OrdinalIgnoreCase));

        var function = new FunctionDefinition
        {
            Name = name,
            Directory = folder,
            TriggerType = triggerType,
            TriggerBindingName = triggerName,
            BindingsJson = bindings.ToJsonString(),
            FunctionJson = functionJson,
            IsDisabled = disabled,
        };

        if (isHttp)
        {
            var methods = Get(trigger, "methods") is JsonArray m
                ? m.Select(x => x?.ToString().ToUpperInvariant() ?? string.Empty).Where(x => x.Length > 0).Distinct().ToList()
                : [];

            // §1.7: only "HTTP in and out" functions (one httpTrigger, one http output, nothing else) are forwarded.
            var isHttpInAndOut = httpOutputs.Count == 1 && objects.Count == 2;
            return function with
            {
                Route = (Text(trigger, "route") ?? name).Trim('/'),
                Methods = methods,
                AuthLevel = (Text(trigger, "authLevel") ?? "function").ToLowerInvariant(),
                IsProxied = enableProxying && isHttpInAndOut,
                HttpOutputBindingName = httpOutputs.Count > 0 ? Text(httpOutputs[0], "name") : null,
            };
        }

        if (string.Equals(triggerType, "serviceBusTrigger", StringComparison.OrdinalIgnoreCase))
        {
            if (Text(trigger, "topicName") is not null)
            {
                throw new FunctionsHostStartupException($"{name}: topic subscriptions are not emulated; only 'queueName' is.");
            }

            return function with
            {
                QueueName = Text(trigger, "queueName") ?? throw new FunctionsHostStartupException($"{name}/function.json: the serviceBusTrigger has no 'queueName'."),
                IsSessionsEnabled = Get(trigger, "isSessionsEnabled") is JsonValue s && (s.TryGetValue<bool>(out var b2) ? b2 : string.Equals(s.ToString(), "true", StringComparison.OrdinalIgnoreCase)),
            };
        }

        if (string.Equals(triggerType, "timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var schedule = Text(trigger, "schedule") ?? throw new FunctionsHostStartupException($"{name}/function.json: the timerTrigger has no 'schedule'.");
            _ = TimerSchedule.Parse(schedule, name);
            return function with
            {
                Schedule = schedule,
                RunOnStartup = Get(trigger, "runOnStartup") is JsonValue r && r.TryGetValue<bool>(out var b3) && b3,
            };
        }

        return function;
    }

    private static void ExpandSettings(JsonNode? node, IDictionary<string, string> settings, string context)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Contains('%', StringComparison.Ordinal))
                    {
                        obj[key] = SettingsExpander.Expand(text, n => settings.TryGetValue(n, out var v) ? v : null, $"{context} ('{key}')");
                    }
                    else
                    {
                        ExpandSettings(obj[key], settings, context);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && text.Contains('%', StringComparison.Ordinal))
                    {
                        array[i] = SettingsExpander.Expand(text, n => settings.TryGetValue(n, out var v) ? v : null, context);
                    }
                    else
                    {
                        ExpandSettings(array[i], settings, context);
                    }
                }

                break;
        }
    }

    private static JsonNode? Get(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Text(JsonObject obj, string name) => Get(obj, name) is JsonValue v ? v.ToString() : null;
}
