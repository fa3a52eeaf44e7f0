namespace Connector.Stores.PrestaShop;

/// <summary>A Webservice answer as it came: status, content type, body, the errors it listed, and where a 3xx pointed (resolved against the request).</summary>
public sealed record PrestaShopAnswer(int Status, string ContentType, string Body, IReadOnlyList<(int Code, string Message)> Errors, Uri? Location = null)
{
    public bool IsRedirect => Status is >= 300 and < 400;

    public bool IsJson => ContentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    public string ErrorText => Errors.Count > 0
        ? string.Join("; ", Errors.Select(e => $"{e.Message} (code {e.Code})"))
        : Body.Length > 300 ? Body[..300] : Body;
}
