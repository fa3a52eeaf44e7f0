using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// One of TikTok's official OpenAPI files (shared/reference/tiktok-oas) and a recursive check that every property a
/// response carries exists, with a matching JSON type, in the operation's 200 response schema.
/// </summary>
internal sealed class Oas(JsonDocument document) : IDisposable
{
    public static Oas Load(string file) => new(JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory(), file))));

    public JsonElement ResponseSchema(string path, string method) =>
        document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    public JsonElement RequestSchema(string path, string method) =>
        document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    public void Dispose() => document.Dispose();

    /// <summary>Asserts a request body the tests send only uses fields, with their JSON types, of the operation's request schema.</summary>
    public static void AssertRequest(string file, string path, string method, string body)
    {
        using var oas = Load(file);
        using var json = JsonDocument.Parse(body);
        AssertMatches(json.RootElement, oas.RequestSchema(path, method));
    }

    /// <summary>Loads <paramref name="file"/> and asserts <paramref name="response"/> matches the operation's response schema.</summary>
    public static void AssertResponse(string file, string path, string method, JsonElement response)
    {
        using var oas = Load(file);
        AssertMatches(response, oas.ResponseSchema(path, method));
    }

    public static void AssertMatches(JsonElement value, JsonElement schema)
    {
        var errors = Walk(value, schema);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    public static List<string> Walk(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Walk(value, schema, "$", errors);
        return errors;
    }

    private static void Walk(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : schema.TryGetProperty("properties", out _) ? "object" : null;
        var ok = type switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!ok)
        {
            errors.Add($"{path}: {value.ValueKind} where the OAS says {type}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    errors.Add($"{path}.{property.Name}: not in the OAS schema");
                    continue;
                }

                Walk(property.Value, propertySchema, $"{path}.{property.Name}", errors);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Walk(item, items, $"{path}[{i++}]", errors);
            }
        }
    }

    /// <summary>shared/reference/tiktok-oas beside the repository (CI clones main with shared/ next to it), or TIKTOK_OAS_DIR.</summary>
    private static string Directory()
    {
        if (Environment.GetEnvironmentVariable("TIKTOK_OAS_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        // The repository carries a copy of TikTok's OpenAPI files (oas/, copied next to the test assembly), so a clone
        // tests the same way anywhere; OasCopyTests checks the copy against shared/reference when that is present.
        var copy = Path.Combine(AppContext.BaseDirectory, "oas");
        if (File.Exists(Path.Combine(copy, "order.json")))
        {
            return copy;
        }

        return SharedReference() ?? throw new DirectoryNotFoundException("oas/ not found next to " + AppContext.BaseDirectory + "; set TIKTOK_OAS_DIR.");
    }

    /// <summary>shared/reference/tiktok-oas above the test folder, when the checkout sits beside it.</summary>
    public static string? SharedReference()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "tiktok-oas");
            if (File.Exists(Path.Combine(candidate, "order.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
