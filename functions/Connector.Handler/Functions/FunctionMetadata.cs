namespace Connector.Functions;

/// <summary>Marks an endpoint as the handler side of a function folder (functions/&lt;Name&gt;/function.json).</summary>
public sealed record FunctionMetadata(string FunctionName);

public static class FunctionEndpointExtensions
{
    public static TBuilder ForFunction<TBuilder>(this TBuilder builder, string functionName)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FunctionMetadata(functionName));
}
