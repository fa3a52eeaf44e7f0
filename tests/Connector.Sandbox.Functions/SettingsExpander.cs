using System.Text.RegularExpressions;

namespace Connector.Sandbox.Functions;

/// <summary>
/// <c>%Name%</c> expansion of app settings, as the host does for binding properties (queueName, schedule, ...) and for
/// host.json <c>customHandler.description.arguments</c> (§1.2: "Arguments support expansion of environment variables
/// (application settings) by using %% notation"). An unknown name fails start-up with its name, as the real host fails
/// indexing the function ("'%X%' does not resolve to a value").
/// </summary>
internal static partial class SettingsExpander
{
    public static string Expand(string value, Func<string, string?> lookup, string context) =>
        Pattern().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            return lookup(name) ?? throw new FunctionsHostStartupException(
                $"The setting '{name}' used as '%{name}%' in {context} is not defined. Add it to FunctionsHostOptions.Settings (app settings).");
        });

    [GeneratedRegex("%([A-Za-z_][A-Za-z0-9_.:-]*)%")]
    private static partial Regex Pattern();
}
