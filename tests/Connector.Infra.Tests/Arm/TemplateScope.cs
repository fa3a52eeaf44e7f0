using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Infra.Tests.Arm;

/// <summary>
/// Evaluates the expressions of one compiled ARM template (the main one or a Bicep module's nested deployment) as
/// far as they can be known before deployment: parameters, variables, names, resource ids and string functions.
/// Runtime properties of deployed resources stay <see cref="Opaque"/> and record what they read.
/// Resource copy loops (Bicep <c>for</c>) become one resource per iteration, each evaluated with its copyIndex().
/// Only the functions the Bicep files use are implemented; any other throws, so a test never passes by guessing.
/// </summary>
public sealed class TemplateScope
{
    private readonly JsonObject _bindings;
    private readonly IReadOnlyDictionary<string, object?> _supplied;
    private readonly Dictionary<string, object?> _parameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _evaluating = new(StringComparer.OrdinalIgnoreCase);
    private List<ArmResource>? _resources;

    // The loop iteration being evaluated (set only inside EvaluateIn; a Deployment is evaluated on one thread).
    private CopyIteration? _copy;

    private TemplateScope(JsonObject template, TemplateScope? parent, JsonObject bindings,
        IReadOnlyDictionary<string, object?> supplied, ArmEnvironment environment, string deploymentName,
        List<string> listCalls)
    {
        Template = template;
        Parent = parent;
        _bindings = bindings;
        _supplied = supplied;
        Environment = environment;
        DeploymentName = deploymentName;
        ListCalls = listCalls;
    }

    public JsonObject Template { get; }

    public TemplateScope? Parent { get; }

    public ArmEnvironment Environment { get; }

    public string DeploymentName { get; }

    /// <summary>Every list*() call met while evaluating (listKeys and friends hand out secrets).</summary>
    public List<string> ListCalls { get; }

    public static TemplateScope CreateRoot(JsonObject template, IReadOnlyDictionary<string, object?> parameters,
        ArmEnvironment environment) =>
        new(template, null, [], parameters, environment, "main", []);

    /// <summary>The resources of this template, nested deployments' resources not included.</summary>
    public IReadOnlyList<ArmResource> Resources => _resources ??= LoadResources();

    /// <summary>The Bicep modules (nested deployments) of this template, evaluated in their own scope.</summary>
    public IEnumerable<TemplateScope> Modules => Resources.Where(r => r.Module is not null).Select(r => r.Module!);

    public object? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var declarations = Template["parameters"]?.AsObject()
            ?? throw new InvalidOperationException($"{DeploymentName}: template declares no parameters");
        var declaration = declarations[name]?.AsObject()
            ?? throw new InvalidOperationException($"{DeploymentName}: parameter '{name}' is not declared");

        object? value;
        if (Parent is null && _supplied.TryGetValue(name, out var supplied))
        {
            value = supplied;
        }
        else if (Parent is not null && _bindings[name] is JsonObject binding)
        {
            value = binding.ContainsKey("value")
                ? Parent.Evaluate(binding["value"])
                : throw new NotSupportedException($"{DeploymentName}: parameter '{name}' is not bound by value");
        }
        else if (declaration.ContainsKey("defaultValue"))
        {
            value = Guarded("parameters", name, () => Evaluate(declaration["defaultValue"]));
        }
        else
        {
            throw new InvalidOperationException($"{DeploymentName}: parameter '{name}' has no value");
        }

        _parameters[name] = value;
        return value;
    }

    public object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var variables = Template["variables"]?.AsObject();
        if (variables is null || !variables.ContainsKey(name))
        {
            throw new InvalidOperationException($"{DeploymentName}: variable '{name}' is not declared");
        }

        if (variables.ContainsKey("copy"))
        {
            throw new NotSupportedException($"{DeploymentName}: variable copy loops are not supported");
        }

        var value = Guarded("variables", name, () => Evaluate(variables[name]));
        _variables[name] = value;
        return value;
    }

    /// <summary>Evaluates a template JSON value: expressions in strings (and property names) are evaluated.</summary>
    public object? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new ArmObject();
                foreach (var (key, value) in obj)
                {
                    result[ToText(EvaluateString(key), "property name")] = Evaluate(value);
                }

                return result;
            case JsonArray array:
                return array.Select(Evaluate).ToList();
            case JsonValue value when value.TryGetValue<string>(out var text):
                return EvaluateString(text);
            case JsonValue value when value.TryGetValue<bool>(out var flag):
                return flag;
            case JsonValue value when value.TryGetValue<long>(out var number):
                return number;
            case JsonValue value:
                return value.GetValue<double>();
            default:
                throw new NotSupportedException(node.ToJsonString());
        }
    }

    /// <summary>Evaluates <paramref name="node"/> as part of one iteration of a copy loop (null: outside any loop).</summary>
    public object? EvaluateIn(JsonNode? node, CopyIteration? copy)
    {
        var outer = _copy;
        _copy = copy;
        try
        {
            return Evaluate(node);
        }
        finally
        {
            _copy = outer;
        }
    }

    public object? EvaluateString(string text) =>
        ArmExpression.IsExpression(text) ? Evaluate(ArmExpression.Parse(text)) : ArmExpression.Unescape(text);

    public object? Evaluate(ArmExpression expression) => expression switch
    {
        StringLiteral s => s.Value,
        NumberLiteral n => n.Value,
        FunctionCall call => Call(call),
        PropertyAccess access => ReadProperty(Evaluate(access.Target), access.Property, access.Text),
        IndexAccess access => ReadIndex(Evaluate(access.Target), Evaluate(access.Index), access.Text),
        _ => throw new NotSupportedException(expression.Text),
    };

    /// <summary>The nested deployment (Bicep module) with this resource id, if this template declares it.</summary>
    public TemplateScope? FindModule(string resourceId) =>
        Resources.FirstOrDefault(r => r.Module is not null
            && string.Equals(r.Id, resourceId, StringComparison.OrdinalIgnoreCase))?.Module;

    public ArmObject Outputs()
    {
        var outputs = new ArmObject();
        if (Template["outputs"] is JsonObject declared)
        {
            foreach (var (name, output) in declared)
            {
                outputs[name] = Evaluate(output!["value"]);
            }
        }

        return outputs;
    }

    private List<ArmResource> LoadResources()
    {
        var list = new List<ArmResource>();
        IEnumerable<JsonNode?> nodes = Template["resources"] switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(p => p.Value), // languageVersion 2.0
            null => [],
            var other => throw new NotSupportedException(other.ToJsonString()),
        };

        foreach (var node in nodes)
        {
            var json = node!.AsObject();
            if (json["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }

            if (json["copy"] is JsonObject copy)
            {
                var loop = copy["name"]!.GetValue<string>();
                var count = Evaluate(copy["count"]) as long?
                    ?? throw new NotSupportedException($"copy loop '{loop}': count is not a number known before deployment");
                for (var index = 0L; index < count; index++)
                {
                    list.Add(LoadResource(json, new CopyIteration(loop, index)));
                }
            }
            else
            {
                list.Add(LoadResource(json, null));
            }
        }

        return list;
    }

    private ArmResource LoadResource(JsonObject json, CopyIteration? copy)
    {
        var type = json["type"]!.GetValue<string>();
        var name = ToText(EvaluateIn(json["name"], copy), $"name of a {type}");
        string id;
        if (json["scope"] is JsonNode scopeNode)
        {
            var scope = ToText(EvaluateIn(scopeNode, copy), $"scope of {type} {name}");
            var scopeId = scope.StartsWith('/') ? scope : $"{Environment.ResourceGroupScope}/providers/{scope}";
            id = $"{scopeId}/providers/{ArmEnvironment.TypedPath(type, name.Split('/'))}";
        }
        else
        {
            if (json.ContainsKey("subscriptionId") || json.ContainsKey("resourceGroup"))
            {
                throw new NotSupportedException($"{type} {name}: cross-scope deployments are not supported");
            }

            id = Environment.ResourceGroupResourceId(type, name.Split('/'));
        }

        TemplateScope? module = null;
        if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
        {
            if (copy is not null)
            {
                throw new NotSupportedException($"Deployment {name}: module loops are not supported");
            }

            var properties = json["properties"]!.AsObject();
            var evaluationScope = properties["expressionEvaluationOptions"]?["scope"]?.GetValue<string>();
            if (!string.Equals(evaluationScope, "inner", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"Deployment {name}: only inner expression evaluation is supported");
            }

            module = new TemplateScope(properties["template"]!.AsObject(), this,
                properties["parameters"]?.AsObject() ?? [], new Dictionary<string, object?>(), Environment,
                name, ListCalls);
        }

        return new ArmResource(this, json, type, name, id, module, copy);
    }

    private object? Guarded(string kind, string name, Func<object?> evaluate)
    {
        var key = $"{kind}:{name}";
        if (!_evaluating.Add(key))
        {
            throw new InvalidOperationException($"{DeploymentName}: {kind} '{name}' refers to itself");
        }

        // ARM allows copyIndex() only inside a loop's own resource, never in a variable or parameter it reads.
        var copy = _copy;
        _copy = null;
        try
        {
            return evaluate();
        }
        finally
        {
            _copy = copy;
            _evaluating.Remove(key);
        }
    }

    private object? Call(FunctionCall call)
    {
        var name = call.Name.ToLowerInvariant();
        var args = call.Arguments;

        // Functions that must not evaluate every argument, or that accept deploy-time values as they are.
        switch (name)
        {
            case "if":
                {
                    var condition = Evaluate(args[0]);
                    return condition switch
                    {
                        bool b => Evaluate(args[b ? 1 : 2]),
                        Opaque o => Deferred(call, [o, Evaluate(args[1]), Evaluate(args[2])]),
                        _ => throw new InvalidOperationException($"if() condition is not a bool: {call.Text}"),
                    };
                }

            case "createobject":
                {
                    var obj = new ArmObject();
                    for (var i = 0; i + 1 < args.Count; i += 2)
                    {
                        obj[ToText(Evaluate(args[i]), "createObject key")] = Evaluate(args[i + 1]);
                    }

                    return obj;
                }

            case "createarray":
                return args.Select(Evaluate).ToList();
            case "parameters":
                return Parameter(ToText(Evaluate(args[0]), call.Text));
            case "variables":
                return Variable(ToText(Evaluate(args[0]), call.Text));
            case "reference":
                return Reference(ToText(Evaluate(args[0]), call.Text));
            case "true":
                return true;
            case "false":
                return false;
            case "null":
                return null;
            case "subscription":
                return new ArmObject
                {
                    ["id"] = Environment.SubscriptionScope,
                    ["subscriptionId"] = Environment.SubscriptionId,
                    ["tenantId"] = Environment.TenantId,
                    ["displayName"] = "test subscription",
                };
            case "resourcegroup":
                return new ArmObject
                {
                    ["id"] = Environment.ResourceGroupScope,
                    ["name"] = Environment.ResourceGroupName,
                    ["location"] = Environment.Location,
                    ["type"] = "Microsoft.Resources/resourceGroups",
                };
            case "tenant":
                return new ArmObject { ["tenantId"] = Environment.TenantId };
            case "deployment":
                return new ArmObject { ["name"] = DeploymentName };
            case "copyindex":
                return CopyIndex(call);
            default:
                break;
        }

        if (name.StartsWith("list", StringComparison.Ordinal))
        {
            ListCalls.Add(call.Text);
            return new Opaque(call.Text, []);
        }

        var values = args.Select(Evaluate).ToList();
        if (values.Any(v => v is Opaque or ReferenceValue))
        {
            return name switch
            {
                "union" or "coalesce" or "empty" or "equals" or "not" or "and" or "or" or "format" or "concat"
                    or "replace" or "split" or "tolower" or "toupper" or "first" or "last" or "string" or "uniquestring"
                    or "guid" or "resourceid" or "subscriptionresourceid" or "extensionresourceid" or "trim"
                    or "startswith" or "endswith" or "contains" or "length" => Deferred(call, values),
                _ => throw new NotSupportedException($"ARM function '{call.Name}' with deploy-time arguments: {call.Text}"),
            };
        }

        return name switch
        {
            "format" => string.Format(CultureInfo.InvariantCulture, ToText(values[0], call.Text),
                values.Skip(1).Select(v => (object?)FormatArgument(v)).ToArray()),
            "concat" => values.All(v => v is List<object?>)
                ? values.SelectMany(v => (List<object?>)v!).ToList()
                : string.Concat(values.Select(FormatArgument)),
            "union" => Union(values),
            "coalesce" => values.FirstOrDefault(v => v is not null),
            "empty" => values[0] switch
            {
                null => true,
                string s => s.Length == 0,
                ArmObject o => o.Count == 0,
                List<object?> l => l.Count == 0,
                _ => false,
            },
            "equals" => Equals(values[0], values[1]),
            "not" => !(bool)values[0]!,
            "and" => values.All(v => (bool)v!),
            "or" => values.Any(v => (bool)v!),
            "tolower" => ToText(values[0], call.Text).ToLowerInvariant(),
            "toupper" => ToText(values[0], call.Text).ToUpperInvariant(),
            "trim" => ToText(values[0], call.Text).Trim(),
            "replace" => ToText(values[0], call.Text).Replace(ToText(values[1], call.Text), ToText(values[2], call.Text),
                StringComparison.Ordinal),
            "split" => ToText(values[0], call.Text).Split(ToText(values[1], call.Text)).Cast<object?>().ToList(),
            "startswith" => ToText(values[0], call.Text).StartsWith(ToText(values[1], call.Text), StringComparison.OrdinalIgnoreCase),
            "endswith" => ToText(values[0], call.Text).EndsWith(ToText(values[1], call.Text), StringComparison.OrdinalIgnoreCase),
            "contains" => values[0] switch
            {
                string s => s.Contains(ToText(values[1], call.Text), StringComparison.OrdinalIgnoreCase),
                ArmObject o => o.ContainsKey(ToText(values[1], call.Text)),
                List<object?> l => l.Contains(values[1]),
                _ => throw new NotSupportedException(call.Text),
            },
            "length" => values[0] switch
            {
                string s => (long)s.Length,
                ArmObject o => (long)o.Count,
                List<object?> l => (long)l.Count,
                _ => throw new NotSupportedException(call.Text),
            },
            "first" => values[0] is List<object?> l ? l.FirstOrDefault() : ToText(values[0], call.Text)[..1],
            "last" => values[0] is List<object?> l ? l.LastOrDefault() : ToText(values[0], call.Text)[^1..],
            "string" => FormatArgument(values[0]),
            "uniquestring" => ArmHash.UniqueString(values.Select(v => ToText(v, call.Text))),
            "guid" => ArmHash.GuidOf(values.Select(v => ToText(v, call.Text))),
            "resourceid" => ResourceId(values.Select(v => ToText(v, call.Text)).ToList()),
            "subscriptionresourceid" => SubscriptionResourceId(values.Select(v => ToText(v, call.Text)).ToList()),
            "extensionresourceid" => $"{ToText(values[0], call.Text)}/providers/"
                + ArmEnvironment.TypedPath(ToText(values[1], call.Text), values.Skip(2).Select(v => ToText(v, call.Text)).ToList()),
            _ => throw new NotSupportedException($"ARM function '{call.Name}' is not supported by the test evaluator: {call.Text}"),
        };
    }

    private long CopyIndex(FunctionCall call)
    {
        var copy = _copy ?? throw new InvalidOperationException($"copyIndex() outside a copy loop: {call.Text}");
        var args = call.Arguments.Select(Evaluate).ToList();
        if (args.FirstOrDefault() is string loop && !string.Equals(loop, copy.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"copyIndex('{loop}') inside loop '{copy.Name}': {call.Text}");
        }

        var offset = args.OfType<long>().FirstOrDefault();
        return copy.Index + offset;
    }

    private object Reference(string resourceIdOrName)
    {
        var id = resourceIdOrName.StartsWith('/')
            ? resourceIdOrName
            : Resources.FirstOrDefault(r => string.Equals(r.Name, resourceIdOrName, StringComparison.OrdinalIgnoreCase))?.Id
              ?? throw new NotSupportedException($"reference('{resourceIdOrName}') by name of an undeclared resource");
        if (FindModule(id) is { } module)
        {
            var outputs = new ArmObject();
            foreach (var (name, value) in module.Outputs())
            {
                outputs[name] = new ArmObject { ["value"] = value };
            }

            return new ArmObject { ["outputs"] = outputs };
        }

        return new ReferenceValue(id);
    }

    private string ResourceId(List<string> args)
    {
        var typeIndex = args.FindIndex(a => a.Contains('/', StringComparison.Ordinal));
        var subscription = typeIndex == 2 ? args[0] : Environment.SubscriptionId;
        var group = typeIndex switch
        {
            0 => Environment.ResourceGroupName,
            1 => args[0],
            2 => args[1],
            _ => throw new NotSupportedException($"resourceId({string.Join(", ", args)})"),
        };
        return $"/subscriptions/{subscription}/resourceGroups/{group}/providers/"
            + ArmEnvironment.TypedPath(args[typeIndex], args.Skip(typeIndex + 1).ToList());
    }

    private string SubscriptionResourceId(List<string> args)
    {
        var typeIndex = args.FindIndex(a => a.Contains('/', StringComparison.Ordinal));
        var subscription = typeIndex == 1 ? args[0] : Environment.SubscriptionId;
        return $"/subscriptions/{subscription}/providers/"
            + ArmEnvironment.TypedPath(args[typeIndex], args.Skip(typeIndex + 1).ToList());
    }

    private static ArmObject Union(List<object?> values)
    {
        var result = new ArmObject();
        foreach (var value in values)
        {
            foreach (var (key, item) in value as ArmObject
                ?? throw new NotSupportedException("union() of non-objects is not supported"))
            {
                result[key] = item;
            }
        }

        return result;
    }

    private static object? ReadProperty(object? target, string property, string text) => target switch
    {
        ArmObject obj => obj.TryGetValue(property, out var value)
            ? value
            : throw new InvalidOperationException($"Property '{property}' not found: {text}"),
        ReferenceValue reference => new Opaque(text, [new ResourceRef(reference.ResourceId, property)]),
        Opaque { Refs.Count: 1 } opaque => new Opaque(text,
            [opaque.Refs[0] with { Path = $"{opaque.Refs[0].Path}.{property}" }]),
        Opaque opaque => new Opaque(text, opaque.Refs),
        _ => throw new InvalidOperationException($"Cannot read '{property}' of {target}: {text}"),
    };

    private static object? ReadIndex(object? target, object? index, string text) => (target, index) switch
    {
        (List<object?> list, long i) => list[(int)i],
        (ArmObject obj, string key) => obj[key],
        (ReferenceValue reference, string key) => new Opaque(text, [new ResourceRef(reference.ResourceId, key)]),
        (Opaque opaque, _) => new Opaque(text, opaque.Refs),
        _ => throw new InvalidOperationException($"Cannot index {target} with {index}: {text}"),
    };

    private static Opaque Deferred(FunctionCall call, List<object?> values)
    {
        var refs = new List<ResourceRef>();
        foreach (var value in values)
        {
            Collect(value, refs);
        }

        // format() and concat() keep their known parts, so "https://{...defaultHostName}/api/app" stays readable.
        var distinct = refs.Distinct().ToList();
        return call.Name.ToLowerInvariant() switch
        {
            "format" when values[0] is string format => new Opaque(string.Format(CultureInfo.InvariantCulture, format,
                values.Skip(1).Select(v => (object?)Render(v)).ToArray()), distinct, Rendered: true),
            "concat" => new Opaque(string.Concat(values.Select(Render)), distinct, Rendered: true),
            _ => new Opaque(call.Text, distinct),
        };
    }

    private static string Render(object? value) => value switch
    {
        Opaque { Rendered: true } o => o.Text,
        Opaque o => $"{{{o.Text}}}",
        ReferenceValue r => $"{{reference({r.ResourceId})}}",
        ArmObject or List<object?> => "{object}",
        _ => FormatArgument(value),
    };

    private static void Collect(object? value, List<ResourceRef> refs)
    {
        switch (value)
        {
            case Opaque o:
                refs.AddRange(o.Refs);
                break;
            case ReferenceValue r:
                refs.Add(new ResourceRef(r.ResourceId, string.Empty));
                break;
            case ArmObject obj:
                foreach (var item in obj.Values)
                {
                    Collect(item, refs);
                }

                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    Collect(item, refs);
                }

                break;
            default:
                break;
        }
    }

    private static string FormatArgument(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "True" : "False",
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"Cannot format {value} as text"),
    };

    private static string ToText(object? value, string context) =>
        value as string ?? throw new InvalidOperationException($"Expected text, got {value ?? "null"} ({context})");
}

/// <summary>One iteration of a resource copy loop: the loop's name and copyIndex().</summary>
public sealed record CopyIteration(string Name, long Index);
