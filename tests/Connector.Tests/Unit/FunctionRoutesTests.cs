using Connector.Sandbox;
using System.Text.Json;
using Connector.Functions;
using Connector.Testing;
using Microsoft.AspNetCore.Routing;

namespace Connector.Tests.Unit;

/// <summary>
/// The function folders (read by the Functions host) and the handler's routes must agree: a folder without a route
/// fails every invocation, a route without a folder is never called (design §2, §6.2).
/// </summary>
public sealed class FunctionRoutesTests
{
    private sealed record Declared(string Function, string Route, IReadOnlySet<string> Methods);

    private static List<Declared> FromFunctionFolders()
    {
        var declared = new List<Declared>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Functions, "function.json", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var trigger = json.RootElement.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("direction").GetString() == "in" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            if (trigger.GetProperty("type").GetString() == "httpTrigger")
            {
                var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet();
                declared.Add(new Declared(name, "/api/" + trigger.GetProperty("route").GetString(), methods));
            }
            else
            {
                declared.Add(new Declared(name, "/" + name, new HashSet<string> { "POST" }));
            }
        }

        return declared;
    }

    private static List<Declared> FromHandler()
    {
        var app = ConnectorApp.Build([]);
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Function: e.Metadata.GetMetadata<FunctionMetadata>()))
            .Where(e => e.Function is not null)
            .GroupBy(e => (e.Function!.FunctionName, Route: "/" + e.Endpoint.RoutePattern.RawText!.TrimStart('/')))
            .Select(g => new Declared(g.Key.FunctionName, g.Key.Route,
                g.SelectMany(e => e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).ToHashSet()))
            .ToList();
    }

    [Fact]
    public void Every_function_folder_has_a_handler_route_with_the_same_methods()
    {
        var handler = FromHandler();

        foreach (var function in FromFunctionFolders())
        {
            var match = handler.SingleOrDefault(h => h.Function == function.Function && h.Route == function.Route);
            Assert.True(match is not null, $"functions/{function.Function} declares {function.Route} but the handler has no such route");
            Assert.True(function.Methods.SetEquals(match!.Methods), $"{function.Function}: function.json allows {string.Join(",", function.Methods)}, handler {string.Join(",", match.Methods)}");
        }
    }

    [Fact]
    public void Every_handler_route_has_a_function_folder()
    {
        var folders = FromFunctionFolders();

        foreach (var route in FromHandler())
        {
            Assert.Contains(folders, f => f.Function == route.Function && f.Route == route.Route);
        }
    }

    [Fact]
    public void Every_handler_endpoint_except_the_readiness_probe_belongs_to_a_function()
    {
        var app = ConnectorApp.Build([]);
        var orphans = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<FunctionMetadata>() is null && e.RoutePattern.RawText != "/")
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.Empty(orphans);
    }
}
