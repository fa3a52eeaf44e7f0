using System.Collections.Frozen;
using GraphQLParser;
using GraphQLParser.AST;

namespace Connector.Sandbox.Shopify.Schema;

internal enum SchemaTypeKind
{
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

/// <summary>A type reference as written in SDL: a named type, a list of something, or a non-null something.</summary>
internal sealed record TypeRef(string? Name, TypeRef? OfType, bool IsList, bool IsNonNull)
{
    public static TypeRef Named(string name) => new(name, null, false, false);

    public static TypeRef ListOf(TypeRef of) => new(null, of, true, false);

    public static TypeRef NonNull(TypeRef of) => new(null, of, false, true);

    public string NamedType => Name ?? OfType!.NamedType;

    /// <summary>True when the reference is a list at some level (e.g. <c>[Tag!]!</c>).</summary>
    public bool ContainsList => IsList || (OfType?.ContainsList ?? false);

    public TypeRef Nullable => IsNonNull ? OfType! : this;

    public override string ToString() =>
        IsNonNull ? OfType + "!" : IsList ? "[" + OfType + "]" : Name!;

    public static TypeRef From(GraphQLType type) => type switch
    {
        GraphQLNamedType n => Named(n.Name.StringValue),
        GraphQLListType l => ListOf(From(l.Type)),
        GraphQLNonNullType nn => NonNull(From(nn.Type)),
        _ => throw new NotSupportedException(type.Kind.ToString()),
    };
}

internal sealed record SchemaInputValue(string Name, TypeRef Type, GraphQLValue? DefaultValue)
{
    public bool IsRequired => Type.IsNonNull && DefaultValue is null;
}

internal sealed record SchemaField(string Name, TypeRef Type, FrozenDictionary<string, SchemaInputValue> Arguments);

internal sealed class SchemaType
{
    public required string Name { get; init; }

    public required SchemaTypeKind Kind { get; init; }

    public FrozenDictionary<string, SchemaField> Fields { get; init; } = FrozenDictionary<string, SchemaField>.Empty;

    /// <summary>Input object fields, in declaration order (order matters for messages only).</summary>
    public IReadOnlyList<SchemaInputValue> InputFields { get; init; } = [];

    public FrozenDictionary<string, SchemaInputValue> InputFieldsByName { get; init; } = FrozenDictionary<string, SchemaInputValue>.Empty;

    public IReadOnlyList<string> EnumValues { get; init; } = [];

    public IReadOnlySet<string> Interfaces { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Union members; for an interface, the object types that implement it.</summary>
    public ISet<string> PossibleTypes { get; } = new HashSet<string>(StringComparer.Ordinal);

    public bool IsComposite => Kind is SchemaTypeKind.Object or SchemaTypeKind.Interface or SchemaTypeKind.Union;

    public bool IsInput => Kind is SchemaTypeKind.Scalar or SchemaTypeKind.Enum or SchemaTypeKind.InputObject;

    public bool IsLeaf => Kind is SchemaTypeKind.Scalar or SchemaTypeKind.Enum;
}

/// <summary>
/// The Shopify Admin GraphQL schema (2026-01, SDL embedded from shared/reference/shopify), parsed once per process
/// and indexed for validation and execution. Only the type system is used: descriptions and directives on
/// definitions are ignored.
/// </summary>
internal sealed class AdminSchema
{
    public const string ResourceName = "Connector.Sandbox.Shopify.admin-2026-01.schema.graphql";

    private static readonly Lazy<AdminSchema> Cached = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private AdminSchema(FrozenDictionary<string, SchemaType> types, string queryType, string mutationType, FrozenSet<string> directives)
    {
        Types = types;
        QueryType = queryType;
        MutationType = mutationType;
        Directives = directives;
    }

    public static AdminSchema Instance => Cached.Value;

    public FrozenDictionary<string, SchemaType> Types { get; }

    public string QueryType { get; }

    public string MutationType { get; }

    /// <summary>Directive names usable in documents (built-in skip/include plus the schema's own).</summary>
    public FrozenSet<string> Directives { get; }

    public SchemaType? Find(string name) => Types.GetValueOrDefault(name);

    public SchemaType Get(string name) => Types[name];

    /// <summary>True when an object of type <paramref name="objectType"/> satisfies a fragment on <paramref name="condition"/>.</summary>
    public bool Satisfies(string objectType, string condition)
    {
        if (string.Equals(objectType, condition, StringComparison.Ordinal))
        {
            return true;
        }

        return Find(condition) is { Kind: SchemaTypeKind.Interface or SchemaTypeKind.Union } abstractType
            && abstractType.PossibleTypes.Contains(objectType);
    }

    /// <summary>True when fragments on the two types can ever apply to the same object.</summary>
    public bool Overlap(string a, string b) => PossibleObjects(a).Overlaps(PossibleObjects(b));

    private HashSet<string> PossibleObjects(string name)
    {
        var type = Find(name);
        if (type is null)
        {
            return [];
        }

        return type.Kind == SchemaTypeKind.Object ? [name] : [.. type.PossibleTypes];
    }

    public static AdminSchema LoadEmbedded()
    {
        using var stream = typeof(AdminSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static AdminSchema Parse(string sdl)
    {
        var document = Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.All });
        var types = new Dictionary<string, SchemaType>(StringComparer.Ordinal);
        string queryType = "Query";
        string mutationType = "Mutation";
        var directives = new HashSet<string>(StringComparer.Ordinal) { "skip", "include" };

        foreach (var scalar in new[] { "Int", "Float", "String", "Boolean", "ID" })
        {
            types[scalar] = new SchemaType { Name = scalar, Kind = SchemaTypeKind.Scalar };
        }

        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition schema:
                    foreach (var op in schema.OperationTypes)
                    {
                        if (op.Operation == OperationType.Query)
                        {
                            queryType = op.Type!.Name.StringValue;
                        }
                        else if (op.Operation == OperationType.Mutation)
                        {
                            mutationType = op.Type!.Name.StringValue;
                        }
                    }

                    break;
                case GraphQLDirectiveDefinition directive:
                    directives.Add(directive.Name.StringValue);
                    break;
                case GraphQLScalarTypeDefinition scalar:
                    types[scalar.Name.StringValue] = new SchemaType { Name = scalar.Name.StringValue, Kind = SchemaTypeKind.Scalar };
                    break;
                case GraphQLObjectTypeDefinition obj:
                    types[obj.Name.StringValue] = new SchemaType
                    {
                        Name = obj.Name.StringValue,
                        Kind = SchemaTypeKind.Object,
                        Fields = ReadFields(obj.Fields),
                        Interfaces = (obj.Interfaces?.Items ?? []).Select(i => i.Name.StringValue).ToFrozenSet(StringComparer.Ordinal),
                    };
                    break;
                case GraphQLInterfaceTypeDefinition iface:
                    types[iface.Name.StringValue] = new SchemaType
                    {
                        Name = iface.Name.StringValue,
                        Kind = SchemaTypeKind.Interface,
                        Fields = ReadFields(iface.Fields),
                        Interfaces = (iface.Interfaces?.Items ?? []).Select(i => i.Name.StringValue).ToFrozenSet(StringComparer.Ordinal),
                    };
                    break;
                case GraphQLUnionTypeDefinition union:
                    var unionType = new SchemaType { Name = union.Name.StringValue, Kind = SchemaTypeKind.Union };
                    foreach (var member in union.Types?.Items ?? [])
                    {
                        unionType.PossibleTypes.Add(member.Name.StringValue);
                    }

                    types[union.Name.StringValue] = unionType;
                    break;
                case GraphQLEnumTypeDefinition enumType:
                    types[enumType.Name.StringValue] = new SchemaType
                    {
                        Name = enumType.Name.StringValue,
                        Kind = SchemaTypeKind.Enum,
                        EnumValues = (enumType.Values?.Items ?? []).Select(v => v.EnumValue.Name.StringValue).ToArray(),
                    };
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    var inputFields = (input.Fields?.Items ?? [])
                        .Select(f => new SchemaInputValue(f.Name.StringValue, TypeRef.From(f.Type), f.DefaultValue))
                        .ToArray();
                    types[input.Name.StringValue] = new SchemaType
                    {
                        Name = input.Name.StringValue,
                        Kind = SchemaTypeKind.InputObject,
                        InputFields = inputFields,
                        InputFieldsByName = inputFields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal),
                    };
                    break;
                default:
                    // Type extensions do not occur in Shopify's published SDL.
                    break;
            }
        }

        foreach (var type in types.Values.Where(t => t.Kind == SchemaTypeKind.Object))
        {
            foreach (var iface in type.Interfaces)
            {
                if (types.TryGetValue(iface, out var interfaceType))
                {
                    interfaceType.PossibleTypes.Add(type.Name);
                }
            }
        }

        return new AdminSchema(
            types.ToFrozenDictionary(StringComparer.Ordinal),
            queryType,
            mutationType,
            directives.ToFrozenSet(StringComparer.Ordinal));
    }

    private static FrozenDictionary<string, SchemaField> ReadFields(GraphQLFieldsDefinition? fields) =>
        (fields?.Items ?? []).ToFrozenDictionary(
            f => f.Name.StringValue,
            f => new SchemaField(
                f.Name.StringValue,
                TypeRef.From(f.Type),
                (f.Arguments?.Items ?? []).ToFrozenDictionary(
                    a => a.Name.StringValue,
                    a => new SchemaInputValue(a.Name.StringValue, TypeRef.From(a.Type), a.DefaultValue),
                    StringComparer.Ordinal)),
            StringComparer.Ordinal);
}
