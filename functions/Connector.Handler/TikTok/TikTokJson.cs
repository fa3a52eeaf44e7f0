using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.TikTok;

internal static class TikTokJson
{
    /// <summary>Compact output: the bytes serialized once are the bytes signed and sent.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
