using System.Security.Cryptography;
using System.Text;

namespace Connector.Infra.Tests.Arm;

/// <summary>An ARM object value: property names compare case-insensitively, as in ARM.</summary>
public sealed class ArmObject : Dictionary<string, object?>
{
    public ArmObject()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}

/// <summary>A property read from a deployed resource (<c>reference(id).path</c>): known only at deployment time.</summary>
public sealed record ResourceRef(string ResourceId, string Path);

/// <summary>
/// A value known only at deployment time (it reads a deployed resource's runtime property). Keeps the expression
/// text and which resource properties it reads, so tests can check what a setting is made of.
/// For format() and concat(), <paramref name="Text"/> is the string with only its unknown parts in braces
/// (<paramref name="Rendered"/> is then true), e.g. "https://{reference(...).defaultHostName}/api/app".
/// </summary>
public sealed record Opaque(string Text, IReadOnlyList<ResourceRef> Refs, bool Rendered = false)
{
    public bool Reads(string resourceId, string path) =>
        Refs.Any(r => string.Equals(r.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase));

    public bool ReadsResource(string resourceId) =>
        Refs.Any(r => string.Equals(r.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"<deploy-time {Text}>";
}

/// <summary>The result of <c>reference(resourceId)</c> before a property is read from it.</summary>
public sealed record ReferenceValue(string ResourceId);

/// <summary>Deterministic stand-ins for ARM's hash functions (the real algorithms do not matter to these tests).</summary>
public static class ArmHash
{
    public static string UniqueString(IEnumerable<string> parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts)));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var builder = new StringBuilder();
        for (var i = 0; i < 13; i++)
        {
            builder.Append(alphabet[hash[i] % 32]);
        }

        return builder.ToString();
    }

    public static string GuidOf(IEnumerable<string> parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts)));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
