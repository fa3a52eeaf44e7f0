using System.Text.Json;

namespace Connector.Functions;

/// <summary>
/// A non-HTTP invocation as the Functions host posts it to a custom handler: <c>{"Data": {...}, "Metadata": {...}}</c>.
/// The host JSON-encodes scalar metadata and usually the trigger data too (a JSON string holding JSON),
/// so every read unwraps one level of string encoding where present
/// (reference/azure-functions-custom-handler.md §1.5, "Parsing rule").
/// </summary>
public sealed class FunctionInvocation
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private FunctionInvocation(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>Parses the host payload; throws <see cref="InvalidInvocationException"/> when it is not one.</summary>
    public static FunctionInvocation Parse(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException("The invocation payload must be a JSON object with 'Data' and 'Metadata'.");
        }

        if (!TryGetProperty(payload, "Data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException("The invocation payload has no 'Data' object.");
        }

        var metadata = TryGetProperty(payload, "Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new FunctionInvocation(data.Clone(), metadata.ValueKind == JsonValueKind.Undefined ? default : metadata.Clone());
    }

    /// <summary>The trigger's data: the single entry of <c>Data</c> (or the named one), unwrapped from string encoding.</summary>
    public JsonElement TriggerData(string bindingName)
    {
        if (!TryGetProperty(_data, bindingName, out var value))
        {
            var entries = _data.EnumerateObject().ToList();
            if (entries.Count != 1)
            {
                throw new InvalidInvocationException($"The invocation has no data for binding '{bindingName}'.");
            }

            value = entries[0].Value;
        }

        return Unwrap(value);
    }

    /// <summary>A metadata value as text, unwrapping the host's JSON string encoding; null when absent.</summary>
    public string? MetadataString(string name)
    {
        if (_metadata.ValueKind != JsonValueKind.Object || !TryGetProperty(_metadata, name, out var value))
        {
            return null;
        }

        var unwrapped = Unwrap(value);
        return unwrapped.ValueKind switch
        {
            JsonValueKind.String => unwrapped.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => unwrapped.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => unwrapped.GetRawText(),
        };
    }

    public int? MetadataInt(string name) =>
        int.TryParse(MetadataString(name), out var value) ? value : null;

    /// <summary>The message's application properties (bundle v4 sends both ApplicationProperties and UserProperties).</summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "UserProperties", "ApplicationProperties" })
        {
            if (_metadata.ValueKind != JsonValueKind.Object || !TryGetProperty(_metadata, key, out var value))
            {
                continue;
            }

            value = Unwrap(value);
            if (value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var property in value.EnumerateObject())
            {
                var v = Unwrap(property.Value);
                result[property.Name] = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            }
        }

        return result;
    }

    /// <summary>Unwraps JSON-in-a-string once or twice (the host double-encodes Service Bus bodies).</summary>
    internal static JsonElement Unwrap(JsonElement value)
    {
        for (var depth = 0; depth < 3 && value.ValueKind == JsonValueKind.String; depth++)
        {
            var text = value.GetString()!;
            var trimmed = text.AsSpan().TrimStart();
            if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '[' && trimmed[0] != '"'))
            {
                return value;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                value = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return value;
            }
        }

        return value;
    }

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
