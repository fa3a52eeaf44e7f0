using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.Schema;
using GraphQLParser.AST;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>
/// Static validation of a request document against the real Admin schema, with graphql-ruby's messages and
/// <c>extensions.code</c> values (what Shopify answers with HTTP 200 and no <c>data</c>): fields must exist on their
/// type, arguments must exist on their field (and required ones be present), literals must fit their input types,
/// variables must have existing input types and be used where their type is allowed, fragments must exist, apply
/// and not loop. This is what keeps the Connector's Shopify client honest (design.md §1 intro, store-apis.md §2).
/// </summary>
internal sealed class DocumentValidator
{
    private readonly AdminSchema _schema;
    private readonly ParsedRequest _request;
    private readonly List<GraphQLError> _errors = [];
    private readonly Dictionary<string, OwnerInfo> _owners = new(StringComparer.Ordinal);

    private DocumentValidator(AdminSchema schema, ParsedRequest request)
    {
        _schema = schema;
        _request = request;
    }

    public static IReadOnlyList<GraphQLError> Validate(AdminSchema schema, ParsedRequest request)
    {
        var validator = new DocumentValidator(schema, request);
        validator.Run();
        return validator._errors;
    }

    private void Run()
    {
        var operations = _request.Document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        foreach (var fragment in _request.Fragments.Values)
        {
            var owner = Owner("fragment " + fragment.FragmentName.Name.StringValue);
            var label = "fragment " + fragment.FragmentName.Name.StringValue;
            var condition = fragment.TypeCondition.Type.Name.StringValue;
            var type = _schema.Find(condition);
            List<object> path = [label];
            if (type is null)
            {
                Add($"No such type {condition}, so it can't be a fragment condition", fragment, path, new JsonObject { ["code"] = "undefinedType", ["typeName"] = condition });
                continue;
            }

            if (!type.IsComposite)
            {
                Add($"Invalid fragment on type {condition} (must be Union, Interface or Object)", fragment, path, new JsonObject { ["code"] = "fragmentOnNonCompositeType", ["typeName"] = condition });
                continue;
            }

            ValidateDirectives(fragment.Directives, path, owner);
            ValidateSelectionSet(fragment.SelectionSet, type, path, owner);
        }

        foreach (var operation in operations)
        {
            var label = ParsedRequest.OperationLabel(operation);
            var owner = Owner(label);
            List<object> path = [label];
            var rootName = operation.Operation switch
            {
                OperationType.Query => _schema.QueryType,
                OperationType.Mutation => _schema.MutationType,
                _ => null,
            };
            if (rootName is null)
            {
                Add("Schema is not configured for subscriptions", operation, path, new JsonObject { ["code"] = "missingSubscriptionConfiguration" });
                continue;
            }

            ValidateDirectives(operation.Directives, path, owner);
            ValidateSelectionSet(operation.SelectionSet, _schema.Get(rootName), path, owner);
            ValidateVariables(operation, owner, label);
        }

        ValidateFragmentUsage(operations);
    }

    private OwnerInfo Owner(string label)
    {
        if (!_owners.TryGetValue(label, out var owner))
        {
            owner = new OwnerInfo();
            _owners[label] = owner;
        }

        return owner;
    }

    private void ValidateSelectionSet(GraphQLSelectionSet selectionSet, SchemaType parent, List<object> path, OwnerInfo owner)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    ValidateField(field, parent, path, owner);
                    break;
                case GraphQLInlineFragment inline:
                    var condition = inline.TypeCondition?.Type.Name.StringValue;
                    path.Add(condition is null ? "..." : "... on " + condition);
                    ValidateDirectives(inline.Directives, path, owner);
                    var target = condition is null ? parent : _schema.Find(condition);
                    if (target is null)
                    {
                        Add($"No such type {condition}, so it can't be a fragment condition", inline, path, new JsonObject { ["code"] = "undefinedType", ["typeName"] = condition });
                    }
                    else if (!target.IsComposite)
                    {
                        Add($"Invalid fragment on type {target.Name} (must be Union, Interface or Object)", inline, path, new JsonObject { ["code"] = "fragmentOnNonCompositeType", ["typeName"] = target.Name });
                    }
                    else if (!_schema.Overlap(parent.Name, target.Name))
                    {
                        Add($"Fragment on {target.Name} can't be spread inside {parent.Name}", inline, path, new JsonObject
                        {
                            ["code"] = "fragmentSpreadTypeMismatch",
                            ["typeName"] = target.Name,
                            ["fragmentName"] = "unknown",
                            ["parentName"] = parent.Name,
                        });
                    }
                    else
                    {
                        ValidateSelectionSet(inline.SelectionSet, target, path, owner);
                    }

                    path.RemoveAt(path.Count - 1);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    path.Add("... " + name);
                    ValidateDirectives(spread.Directives, path, owner);
                    owner.Spreads.Add(name);
                    if (!_request.Fragments.TryGetValue(name, out var fragment))
                    {
                        Add($"Fragment {name} was used, but not defined", spread, path, new JsonObject { ["code"] = "useAndDefineFragment", ["fragmentName"] = name });
                    }
                    else
                    {
                        var fragmentType = fragment.TypeCondition.Type.Name.StringValue;
                        if (_schema.Find(fragmentType) is { IsComposite: true } && !_schema.Overlap(parent.Name, fragmentType))
                        {
                            Add($"Fragment {name} on {fragmentType} can't be spread inside {parent.Name}", spread, path, new JsonObject
                            {
                                ["code"] = "fragmentSpreadTypeMismatch",
                                ["typeName"] = fragmentType,
                                ["fragmentName"] = name,
                                ["parentName"] = parent.Name,
                            });
                        }
                    }

                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    break;
            }
        }
    }

    private void ValidateField(GraphQLField field, SchemaType parent, List<object> path, OwnerInfo owner)
    {
        var name = field.Name.StringValue;
        path.Add(field.Alias?.Name.StringValue ?? name);
        try
        {
            ValidateDirectives(field.Directives, path, owner);
            if (name == "__typename")
            {
                if (field.SelectionSet is not null)
                {
                    AddSelectionsOnLeaf(field, "String", isEnum: false, path);
                }

                return;
            }

            if (name is "__schema" or "__type" && parent.Name == _schema.QueryType)
            {
                // Introspection exists on the real API; the simulator reports it as unsupported when planning.
                return;
            }

            if (!parent.Fields.TryGetValue(name, out var definition))
            {
                Add($"Field '{name}' doesn't exist on type '{parent.Name}'", field, path, new JsonObject
                {
                    ["code"] = "undefinedField",
                    ["typeName"] = parent.Name,
                    ["fieldName"] = name,
                });
                return;
            }

            var provided = new HashSet<string>(StringComparer.Ordinal);
            foreach (var argument in field.Arguments?.Items ?? [])
            {
                var argumentName = argument.Name.StringValue;
                provided.Add(argumentName);
                if (!definition.Arguments.TryGetValue(argumentName, out var argumentDefinition))
                {
                    path.Add(argumentName);
                    Add($"Field '{name}' doesn't accept argument '{argumentName}'", argument, path, new JsonObject
                    {
                        ["code"] = "argumentNotAccepted",
                        ["name"] = name,
                        ["typeName"] = "Field",
                        ["argumentName"] = argumentName,
                    });
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                path.Add(argumentName);
                if (!CheckLiteral(argument.Value, argumentDefinition.Type, argumentDefinition.DefaultValue is not null, argumentName, path, owner))
                {
                    Add($"Argument '{argumentName}' on Field '{name}' has an invalid value ({SourceOf(argument.Value)}). Expected type '{argumentDefinition.Type}'.", argument, path, new JsonObject
                    {
                        ["code"] = "argumentLiteralsIncompatible",
                        ["typeName"] = "Field",
                        ["argumentName"] = argumentName,
                    });
                }

                path.RemoveAt(path.Count - 1);
            }

            var missing = definition.Arguments.Values.Where(a => a.IsRequired && !provided.Contains(a.Name)).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                Add($"Field '{name}' is missing required arguments: {string.Join(", ", missing)}", field, path, new JsonObject
                {
                    ["code"] = "missingRequiredArguments",
                    ["className"] = "Field",
                    ["name"] = name,
                    ["arguments"] = string.Join(", ", missing),
                });
            }

            var returnType = _schema.Get(definition.Type.NamedType);
            if (returnType.IsLeaf)
            {
                if (field.SelectionSet is not null)
                {
                    AddSelectionsOnLeaf(field, returnType.Name, returnType.Kind == SchemaTypeKind.Enum, path);
                }
            }
            else if (field.SelectionSet is null)
            {
                Add($"Field must have selections (field '{name}' returns {returnType.Name} but has no selections. Did you mean '{name} {{ ... }}'?)", field, path, new JsonObject
                {
                    ["code"] = "selectionMismatch",
                    ["nodeName"] = $"field '{name}'",
                    ["typeName"] = returnType.Name,
                });
            }
            else
            {
                ValidateSelectionSet(field.SelectionSet, returnType, path, owner);
            }
        }
        finally
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private void AddSelectionsOnLeaf(GraphQLField field, string typeName, bool isEnum, List<object> path)
    {
        var name = field.Name.StringValue;
        var selected = field.SelectionSet!.Selections.OfType<GraphQLField>().Select(f => "\"" + f.Name.StringValue + "\"");
        Add($"Selections can't be made on {(isEnum ? "enums" : "scalars")} (field '{name}' returns {typeName} but has selections [{string.Join(", ", selected)}])", field, path, new JsonObject
        {
            ["code"] = "selectionMismatch",
            ["nodeName"] = $"field '{name}'",
            ["typeName"] = typeName,
        });
    }

    private void ValidateDirectives(GraphQLDirectives? directives, List<object> path, OwnerInfo owner)
    {
        foreach (var directive in directives?.Items ?? [])
        {
            var name = directive.Name.StringValue;
            if (!_schema.Directives.Contains(name))
            {
                Add($"Directive @{name} is not defined", directive, path, new JsonObject { ["code"] = "undefinedDirective", ["directiveName"] = name });
                continue;
            }

            if (name == "idempotent")
            {
                // directive @idempotent(key: String!) on FIELD (the 2026-01 schema).
                var key = directive.Arguments?.FirstOrDefault(a => a.Name.StringValue == "key");
                if (key is null)
                {
                    Add("Directive 'idempotent' is missing required arguments: key", directive, path, new JsonObject
                    {
                        ["code"] = "missingRequiredArguments",
                        ["className"] = "Directive",
                        ["name"] = name,
                        ["arguments"] = "key",
                    });
                }
                else if (!CheckLiteral(key.Value, TypeRef.NonNull(TypeRef.Named("String")), false, "key", path, owner))
                {
                    Add($"Argument 'key' on Directive '{name}' has an invalid value ({SourceOf(key.Value)}). Expected type 'String!'.", key, path, new JsonObject
                    {
                        ["code"] = "argumentLiteralsIncompatible",
                        ["typeName"] = "Directive",
                        ["argumentName"] = "key",
                    });
                }

                continue;
            }

            if (name is "skip" or "include")
            {
                var condition = directive.Arguments?.FirstOrDefault(a => a.Name.StringValue == "if");
                if (condition is null)
                {
                    Add($"Directive '{name}' is missing required arguments: if", directive, path, new JsonObject
                    {
                        ["code"] = "missingRequiredArguments",
                        ["className"] = "Directive",
                        ["name"] = name,
                        ["arguments"] = "if",
                    });
                }
                else if (!CheckLiteral(condition.Value, TypeRef.NonNull(TypeRef.Named("Boolean")), false, "if", path, owner))
                {
                    Add($"Argument 'if' on Directive '{name}' has an invalid value ({SourceOf(condition.Value)}). Expected type 'Boolean!'.", condition, path, new JsonObject
                    {
                        ["code"] = "argumentLiteralsIncompatible",
                        ["typeName"] = "Directive",
                        ["argumentName"] = "if",
                    });
                }
            }
        }
    }

    /// <summary>Checks a literal against an input type; records variable usages. Returns false when incompatible.</summary>
    private bool CheckLiteral(GraphQLValue value, TypeRef type, bool locationHasDefault, string argumentName, List<object> path, OwnerInfo owner)
    {
        if (value is GraphQLVariable variable)
        {
            owner.Usages.Add(new VariableUsage(variable.Name.StringValue, type, locationHasDefault, argumentName, variable));
            return true;
        }

        if (type.IsNonNull)
        {
            return value is not GraphQLNullValue && CheckLiteral(value, type.OfType!, false, argumentName, path, owner);
        }

        if (value is GraphQLNullValue)
        {
            return true;
        }

        if (type.IsList)
        {
            return value is GraphQLListValue list
                ? (list.Values ?? []).All(item => CheckLiteral(item, type.OfType!, false, argumentName, path, owner))
                : CheckLiteral(value, type.OfType!, false, argumentName, path, owner);
        }

        var named = _schema.Find(type.Name!);
        switch (named?.Kind)
        {
            case SchemaTypeKind.InputObject:
                if (value is not GraphQLObjectValue obj)
                {
                    return false;
                }

                var ok = true;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var field in obj.Fields ?? [])
                {
                    var fieldName = field.Name.StringValue;
                    seen.Add(fieldName);
                    if (!named.InputFieldsByName.TryGetValue(fieldName, out var fieldDefinition))
                    {
                        path.Add(fieldName);
                        Add($"InputObject '{named.Name}' doesn't accept argument '{fieldName}'", field, path, new JsonObject
                        {
                            ["code"] = "argumentNotAccepted",
                            ["name"] = named.Name,
                            ["typeName"] = "InputObject",
                            ["argumentName"] = fieldName,
                        });
                        path.RemoveAt(path.Count - 1);
                        continue;
                    }

                    ok &= CheckLiteral(field.Value, fieldDefinition.Type, fieldDefinition.DefaultValue is not null, fieldName, path, owner);
                }

                foreach (var required in named.InputFields.Where(f => f.IsRequired && !seen.Contains(f.Name)))
                {
                    Add($"Argument '{required.Name}' on InputObject '{named.Name}' is required. Expected type {required.Type}", value, path, new JsonObject
                    {
                        ["code"] = "missingRequiredInputObjectAttribute",
                        ["argumentName"] = required.Name,
                        ["argumentType"] = required.Type.ToString(),
                        ["inputObjectType"] = named.Name,
                    });
                }

                return ok;
            case SchemaTypeKind.Enum:
                return value is GraphQLEnumValue enumValue && named.EnumValues.Contains(enumValue.Name.StringValue);
            case SchemaTypeKind.Scalar:
                if (value is GraphQLEnumValue or GraphQLListValue or GraphQLObjectValue)
                {
                    return named.Name == "JSON";
                }

                var json = InputCoercion.LiteralToJson(value, variables: null);
                return json is not null && InputCoercion.CoerceScalar(named.Name, json) is not null;
            default:
                return false;
        }
    }

    private void ValidateVariables(GraphQLOperationDefinition operation, OwnerInfo owner, string label)
    {
        var operationName = operation.Name?.StringValue ?? "anonymous " + ParsedRequest.OperationLabel(operation);
        var declared = new Dictionary<string, (TypeRef Type, bool HasDefault, GraphQLVariableDefinition Node)>(StringComparer.Ordinal);
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var name = definition.Variable.Name.StringValue;
            var type = TypeRef.From(definition.Type);
            declared[name] = (type, definition.DefaultValue is not null and not GraphQLNullValue, definition);
            var named = _schema.Find(type.NamedType);
            List<object> path = [label];
            if (named is null || !named.IsInput)
            {
                var message = named is null
                    ? $"{type.NamedType} isn't a defined input type (on ${name})"
                    : $"{type.NamedType} isn't a valid input type (on ${name})";
                Add(message, definition, path, new JsonObject { ["code"] = "variableRequiresValidType", ["typeName"] = type.NamedType, ["variableName"] = name });
                continue;
            }

            if (definition.DefaultValue is not null && !CheckLiteral(definition.DefaultValue, type, false, name, path, new OwnerInfo()))
            {
                Add($"Default value for ${name} doesn't match type {type}", definition, path, new JsonObject { ["code"] = "defaultValueInvalidType", ["variableName"] = name, ["typeName"] = type.ToString() });
            }
        }

        var usages = new List<VariableUsage>();
        CollectUsages(owner, usages, new HashSet<OwnerInfo>());
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var usage in usages)
        {
            used.Add(usage.Name);
            if (!declared.TryGetValue(usage.Name, out var variable))
            {
                Add($"Variable ${usage.Name} is used by {operationName} but not declared", usage.Node, [label], new JsonObject { ["code"] = "variableNotDefined", ["variableName"] = usage.Name });
                continue;
            }

            if (_schema.Find(variable.Type.NamedType) is not { IsInput: true })
            {
                continue;
            }

            var error = UsageError(variable.Type, variable.HasDefault, usage.LocationType, usage.LocationHasDefault);
            if (error is not null)
            {
                Add($"{error} on variable ${usage.Name} and argument {usage.ArgumentName} ({variable.Type} / {usage.LocationType})", usage.Node, [label], new JsonObject
                {
                    ["code"] = "variableMismatch",
                    ["variableName"] = usage.Name,
                    ["typeName"] = variable.Type.ToString(),
                    ["argumentName"] = usage.ArgumentName,
                    ["errorMessage"] = error,
                });
            }
        }

        foreach (var (name, variable) in declared)
        {
            if (!used.Contains(name))
            {
                Add($"Variable ${name} is declared by {operationName} but not used", variable.Node, [label], new JsonObject { ["code"] = "variableNotUsed", ["variableName"] = name });
            }
        }
    }

    private void CollectUsages(OwnerInfo owner, List<VariableUsage> usages, HashSet<OwnerInfo> visited)
    {
        if (!visited.Add(owner))
        {
            return;
        }

        usages.AddRange(owner.Usages);
        foreach (var spread in owner.Spreads)
        {
            if (_owners.TryGetValue("fragment " + spread, out var fragmentOwner))
            {
                CollectUsages(fragmentOwner, usages, visited);
            }
        }
    }

    /// <summary>GraphQL spec "All Variable Usages Are Allowed" (§5.8.5); null when allowed.</summary>
    private static string? UsageError(TypeRef variableType, bool variableHasDefault, TypeRef locationType, bool locationHasDefault)
    {
        if (locationType.IsNonNull && !variableType.IsNonNull)
        {
            if (!variableHasDefault && !locationHasDefault)
            {
                return "Nullability mismatch";
            }

            return Compatible(variableType, locationType.OfType!) ? null : "Type mismatch";
        }

        return Compatible(variableType, locationType) ? null : "Type mismatch";
    }

    private static bool Compatible(TypeRef variableType, TypeRef locationType)
    {
        if (locationType.IsNonNull)
        {
            return variableType.IsNonNull && Compatible(variableType.OfType!, locationType.OfType!);
        }

        if (variableType.IsNonNull)
        {
            return Compatible(variableType.OfType!, locationType);
        }

        if (locationType.IsList)
        {
            return variableType.IsList && Compatible(variableType.OfType!, locationType.OfType!);
        }

        return !variableType.IsList && string.Equals(variableType.Name, locationType.Name, StringComparison.Ordinal);
    }

    private void ValidateFragmentUsage(List<GraphQLOperationDefinition> operations)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (_owners.TryGetValue(ParsedRequest.OperationLabel(operation), out var owner))
            {
                MarkReachable(owner, reachable);
            }
        }

        foreach (var (name, fragment) in _request.Fragments)
        {
            if (!reachable.Contains(name))
            {
                Add($"Fragment {name} was defined, but not used", fragment, ["fragment " + name], new JsonObject { ["code"] = "useAndDefineFragment", ["fragmentName"] = name });
            }

            if (ReachesItself(name, name, new HashSet<string>(StringComparer.Ordinal)))
            {
                Add($"Fragment {name} contains an infinite loop", fragment, ["fragment " + name], new JsonObject { ["code"] = "infiniteLoop", ["fragmentName"] = name });
            }
        }
    }

    private void MarkReachable(OwnerInfo owner, HashSet<string> reachable)
    {
        foreach (var spread in owner.Spreads)
        {
            if (reachable.Add(spread) && _owners.TryGetValue("fragment " + spread, out var fragmentOwner))
            {
                MarkReachable(fragmentOwner, reachable);
            }
        }
    }

    private bool ReachesItself(string start, string current, HashSet<string> visited)
    {
        if (!_owners.TryGetValue("fragment " + current, out var owner))
        {
            return false;
        }

        foreach (var spread in owner.Spreads)
        {
            if (spread == start)
            {
                return true;
            }

            if (visited.Add(spread) && ReachesItself(start, spread, visited))
            {
                return true;
            }
        }

        return false;
    }

    private string SourceOf(ASTNode node) =>
        node.Location.End > node.Location.Start
            ? _request.Source[node.Location.Start..node.Location.End]
            : node.ToString() ?? string.Empty;

    private void Add(string message, ASTNode node, IEnumerable<object> path, JsonObject extensions) =>
        _errors.Add(GraphQLError.At(message, _request, node, path, extensions));

    private sealed class OwnerInfo
    {
        public List<VariableUsage> Usages { get; } = [];

        public HashSet<string> Spreads { get; } = new(StringComparer.Ordinal);
    }

    private sealed record VariableUsage(string Name, TypeRef LocationType, bool LocationHasDefault, string ArgumentName, ASTNode Node);
}
