using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Connector.Diagnostics;

/// <summary>
/// OpenTelemetry traces, metrics and logs. Always collected (so a trace id ties an order's steps together in logs);
/// exported to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, with Entra authentication when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c> (App Insights has local auth off).
/// </summary>
public static class TelemetrySetup
{
    public static void AddConnectorTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var credential = Credential(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        var export = !string.IsNullOrWhiteSpace(connectionString);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("connector", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (export)
                {
                    tracing.AddAzureMonitorTraceExporter(o => Configure(o, connectionString!, credential));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (export)
                {
                    metrics.AddAzureMonitorMetricExporter(o => Configure(o, connectionString!, credential));
                }
            });
        _ = otel;

        if (export)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.AddAzureMonitorLogExporter(o => Configure(o, connectionString!, credential));
            });
        }
    }

    private static void Configure(AzureMonitorExporterOptions options, string connectionString, TokenCredential? credential)
    {
        options.ConnectionString = connectionString;
        if (credential is not null)
        {
            options.Credential = credential;
        }
    }

    /// <summary>"ClientId=&lt;id&gt;;Authorization=AAD" → the user-assigned identity; "Authorization=AAD" → system-assigned.</summary>
    internal static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var mode) || !string.Equals(mode, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
