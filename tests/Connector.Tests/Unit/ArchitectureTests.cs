using System.Reflection;
using System.Reflection.Emit;

namespace Connector.Tests.Unit;

/// <summary>
/// The handler's feature folders depend on each other in one direction only (issue 11, design §4): storage knows nothing
/// of the web or the workflows, stores nothing of the web or the workflows, workflows nothing of the host protocol or the
/// web. Read from the compiled handler — signatures and method bodies (IL) — so a call hidden in a method body counts too.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Handler = typeof(Connector.Orders.Import.OrderImporter).Assembly;

    public static TheoryData<string, string> ForbiddenDependencies => new()
    {
        { "Connector.State", "Connector.Web" },
        { "Connector.State", "Connector.Orders" },
        { "Connector.State", "Connector.Functions" },
        { "Connector.Stores", "Connector.Web" },
        { "Connector.Stores", "Connector.Orders" },
        { "Connector.Stores", "Connector.Functions" },
        { "Connector.Orders", "Connector.Functions" },
        { "Connector.Orders", "Connector.Web" },
        { "Connector.TikTok", "Connector.Web" },
        { "Connector.TikTok", "Connector.Orders" },
        { "Connector.TikTok", "Connector.Stores" },
        { "Connector.TikTok", "Connector.Functions" },
        { "Connector.Messaging", "Connector.Web" },
        { "Connector.Messaging", "Connector.Orders" },
        { "Connector.Messaging", "Connector.Stores" },
        { "Connector.Messaging", "Connector.Functions" },
        { "Connector.Products", "Connector.Web" },
        { "Connector.Products", "Connector.Functions" },
        { "Connector.Orders", "Connector.Products" },
        { "Connector.State", "Connector.Products" },
        { "Connector.Stores", "Connector.Products" },
        { "Connector.TikTok", "Connector.Products" },
        { "Connector.Messaging", "Connector.Products" },
    };

    [Fact]
    public void The_web_reads_the_order_grid_through_one_state_component_not_the_index()
    {
        // The index key formats belong to State (OrderReads); the web never queries the index itself.
        var violations = Handler.GetTypes()
            .Where(t => InNamespace(t, "Connector.Web"))
            .Where(t => References(t).Contains(typeof(Connector.State.OrderIndexStore)))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(violations.Count == 0, "Web types using OrderIndexStore:\n" + string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(ForbiddenDependencies))]
    public void A_feature_folder_does_not_depend_on_one_it_must_not(string from, string to)
    {
        var violations = Handler.GetTypes()
            .Where(t => InNamespace(t, from))
            .SelectMany(t => References(t).Where(r => InNamespace(r, to)).Select(r => $"{t.FullName} → {r.FullName}"))
            .Distinct()
            .Order()
            .ToList();

        Assert.True(violations.Count == 0, $"{from} must not use {to}:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_reader_sees_calls_made_inside_method_bodies()
    {
        // Guards the guard: the order handler creates WorkOutcome.Failed and catches TikTokApiException only inside its async
        // method's body (the compiler's state machine), never in a signature.
        var used = Handler.GetTypes().Where(t => t.DeclaringType == typeof(Connector.Orders.Work.OrderWorkHandler)).SelectMany(References).ToHashSet();

        Assert.Contains(typeof(Connector.Messaging.WorkOutcome.Failed), used);
        Assert.Contains(typeof(Connector.TikTok.TikTokApiException), used);
    }

    [Fact]
    public void Only_the_stores_folder_spells_a_platform_name()
    {
        // Elsewhere a platform question is a capability question (StoreClients.ChangeFeed(p) is null), not a name comparison.
        string[] names = ["shopify", "prestashop", "etsy"];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var violations = Handler.GetTypes()
            .Where(t => !InNamespace(t, "Connector.Stores"))
            .SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all))
                .SelectMany(m => StringsInBody(m).Where(s => names.Contains(s, StringComparer.OrdinalIgnoreCase)).Select(s => $"{t.FullName}.{m.Name}: \"{s}\"")))
            .Distinct()
            .Order()
            .ToList();

        Assert.True(violations.Count == 0, "Platform names outside Connector.Stores:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_string_reader_sees_literals_in_method_bodies()
    {
        var strings = typeof(Connector.Stores.StorePlatforms).GetMethods(BindingFlags.Public | BindingFlags.Static).SelectMany(StringsInBody).ToHashSet();

        Assert.Contains("etsy", strings);
    }

    private static bool InNamespace(Type type, string prefix) =>
        type.Namespace is { } ns && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static HashSet<Type> References(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            while (t is not null && (t.IsArray || t.IsByRef || t.IsPointer))
            {
                t = t.GetElementType();
            }

            if (t is null || t.IsGenericParameter || !found.Add(t))
            {
                return;
            }

            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var field in type.GetFields(all))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var used in TypesInBody(method))
            {
                Add(used);
            }
        }

        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types a method body names: its locals and every type, field or method token in its IL.</summary>
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        foreach (var clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                yield return clause.CatchType!;
            }
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (opcode, token) in Instructions(body))
        {
            if (opcode.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                }

                switch (member)
                {
                    case Type t:
                        yield return t;
                        break;
                    case MethodInfo m:
                        yield return m.DeclaringType!;
                        yield return m.ReturnType;
                        break;
                    case { DeclaringType: { } owner }:
                        yield return owner;
                        break;
                }
            }
        }
    }

    /// <summary>The literal strings a method body loads (<c>ldstr</c>).</summary>
    private static IEnumerable<string> StringsInBody(MethodBase method)
    {
        if (method.GetMethodBody() is not { } body)
        {
            yield break;
        }

        foreach (var (opcode, token) in Instructions(body))
        {
            if (opcode.OperandType == OperandType.InlineString)
            {
                yield return method.Module.ResolveString(token);
            }
        }
    }

    /// <summary>A body's instructions with their 4-byte operand (a metadata token where the opcode takes one), else 0.</summary>
    private static IEnumerable<(OpCode OpCode, int Operand)> Instructions(MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += value > 0xFF || value < 0 ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var opcode))
            {
                yield break;
            }

            var size = opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            yield return (opcode, size == 4 ? BitConverter.ToInt32(il, i) : 0);
            i += size;
        }
    }
}