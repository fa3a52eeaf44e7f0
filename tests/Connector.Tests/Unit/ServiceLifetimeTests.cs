using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Connector.Orders.Import;

namespace Connector.Tests.Unit;

/// <summary>
/// Typed HttpClients are transient so that IHttpClientFactory can rotate their handlers (DNS changes, connection
/// lifetime); a singleton that holds one, directly or through a transient service, keeps a single handler forever.
/// </summary>
public sealed class ServiceLifetimeTests
{
    [Fact]
    public void No_singleton_holds_a_typed_http_client_directly_or_through_its_dependencies()
    {
        var captures = Captures(Registrations());

        Assert.True(captures.Count == 0, "Singletons holding typed HttpClients:\n" + string.Join("\n", captures));
    }

    [Fact]
    public void A_workflow_registered_as_a_singleton_would_be_caught()
    {
        var registrations = Registrations();
        registrations[typeof(Connector.Orders.Import.OrderImporter)] = ServiceDescriptor.Singleton<Connector.Orders.Import.OrderImporter, Connector.Orders.Import.OrderImporter>();

        Assert.Contains(Captures(registrations), c => c.StartsWith("OrderImporter → ", StringComparison.Ordinal) && c.EndsWith("Client", StringComparison.Ordinal));
    }

    private static Dictionary<Type, ServiceDescriptor> Registrations()
    {
        IServiceCollection? services = null;
        using var app = ConnectorApp.Build([], builder => services = builder.Services);
        return services!.Where(d => !d.IsKeyedService).GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Last());
    }

    private static List<string> Captures(Dictionary<Type, ServiceDescriptor> descriptors) =>
        [.. descriptors.Values
            .Where(d => d.Lifetime == ServiceLifetime.Singleton && d.ImplementationType is not null)
            .Select(d => PathToTypedClient(d.ImplementationType!, descriptors, []))
            .OfType<List<string>>()
            .Select(path => string.Join(" → ", path))];

    private static List<string>? PathToTypedClient(Type type, Dictionary<Type, ServiceDescriptor> descriptors, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.Assembly != typeof(ConnectorApp).Assembly)
        {
            return null;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        foreach (var parameter in constructor?.GetParameters() ?? [])
        {
            var dependency = parameter.ParameterType;
            if (dependency == typeof(HttpClient))
            {
                return [type.Name];
            }

            // Singletons are checked on their own; follow what is created anew for each consumer.
            if (descriptors.TryGetValue(dependency, out var registration) && registration.Lifetime == ServiceLifetime.Singleton)
            {
                continue;
            }

            var implementation = registration?.ImplementationType ?? (dependency.IsInterface ? null : dependency);
            if (implementation is not null && PathToTypedClient(implementation, descriptors, seen) is { } path)
            {
                return [type.Name, .. path];
            }

            if (dependency.IsGenericType && dependency.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                && services(dependency.GetGenericArguments()[0]) is { } path2)
            {
                return [type.Name, .. path2];
            }
        }

        return null;

        List<string>? services(Type element) => element.Assembly == typeof(ConnectorApp).Assembly && element.IsInterface
            ? typeof(ConnectorApp).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && element.IsAssignableFrom(t))
                .Select(t => PathToTypedClient(t, descriptors, seen)).FirstOrDefault(p => p is not null)
            : null;
    }
}
