using Connector.Sandbox.Shopify.GraphQL;
using Connector.Sandbox.Shopify.Schema;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>The simulator's implemented surface is a subset of the real schema, so its answers use Shopify's names and types.</summary>
public sealed class ResolverRegistryTests
{
    [Fact]
    public void Every_implemented_field_exists_in_the_schema_and_its_object_type_is_implemented_too()
    {
        var schema = AdminSchema.Instance;
        var registry = ShopifyResolvers.Create();
        var problems = new List<string>();

        foreach (var (typeName, resolvers) in registry.Registered)
        {
            if (schema.Find(typeName) is not { Kind: SchemaTypeKind.Object } type)
            {
                problems.Add($"{typeName} is not an object type of the schema");
                continue;
            }

            foreach (var field in resolvers.FieldNames)
            {
                if (!type.Fields.TryGetValue(field, out var definition))
                {
                    problems.Add($"{typeName}.{field} does not exist in the schema");
                    continue;
                }

                var returnType = schema.Get(definition.Type.NamedType);
                if (!returnType.IsLeaf && registry.Find(returnType.Name) is null)
                {
                    problems.Add($"{typeName}.{field} returns {returnType.Name}, which the simulator does not implement");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(19.99, "19.99")]
    [InlineData(10, "10.0")]
    [InlineData(0, "0.0")]
    [InlineData(39.980, "39.98")]
    public void Decimal_values_are_written_like_Shopify_writes_them(double value, string expected) =>
        Assert.Equal(expected, Executor.FormatDecimal((decimal)value));
}
