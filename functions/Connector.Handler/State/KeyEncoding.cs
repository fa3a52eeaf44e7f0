using System.Text;

namespace Connector.State;

/// <summary>
/// Table keys may not contain '/', '\\', '#', '?' or control characters; seller SKUs and other user text can.
/// Escapes those (and '%') as %XX so the mapping is reversible and ordering of plain keys is kept.
/// </summary>
public static class KeyEncoding
{
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
