using System.Globalization;
using System.Text;

namespace Connector.Sandbox.TikTok;

/// <summary>Realistic ids (§11 "Data realism": 18–19 digit strings) and opaque tokens, from one seeded Random.</summary>
internal sealed class SimIds(int seed)
{
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _issued = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string OrderId() => Digits("5764", 18);

    public string LineItemId() => Digits("5770", 18);

    public string PackageId() => Digits("1152", 19);

    public string SkuId() => Digits("17", 19);

    public string ProductId() => Digits("17", 19);

    public string UserId() => Digits("70", 19);

    public string NotificationId() => Digits("73", 19);

    public string GenericId() => Digits("69", 19);

    public string OpenId() => Digits("70", 19);

    public string TrackingNumber() => "9400" + Digits("1", 18);

    /// <summary>A unique digit string of <paramref name="length"/> characters starting with <paramref name="prefix"/>.</summary>
    public string Digits(string prefix, int length)
    {
        lock (_gate)
        {
            while (true)
            {
                var sb = new StringBuilder(prefix, length);
                while (sb.Length < length)
                {
                    sb.Append((char)('0' + _random.Next(10)));
                }

                var id = sb.ToString();
                if (_issued.Add(id))
                {
                    return id;
                }
            }
        }
    }

    /// <summary>Base64url text of <paramref name="bytes"/> random bytes, without padding (token-like).</summary>
    public string Token(string prefix, int bytes)
    {
        var buffer = new byte[bytes];
        lock (_gate)
        {
            _random.NextBytes(buffer);
        }

        return prefix + Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public byte[] Bytes(int count)
    {
        var buffer = new byte[count];
        lock (_gate)
        {
            _random.NextBytes(buffer);
        }

        return buffer;
    }

    public string UpperAlphanumeric(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var sb = new StringBuilder(length);
        lock (_gate)
        {
            for (var i = 0; i < length; i++)
            {
                sb.Append(alphabet[_random.Next(alphabet.Length)]);
            }
        }

        return sb.ToString();
    }

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>§11: request_id like 202203070749000101890810281E8C70B7 (UTC yyyyMMddHHmmss + 20 upper-case hex characters).</summary>
    public string RequestId(DateTimeOffset now)
    {
        var bytes = Bytes(10);
        return now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexString(bytes);
    }
}
