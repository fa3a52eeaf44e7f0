namespace Connector.Stores.PrestaShop;

/// <summary>A Webservice answer as it came: status, content type, body and the errors it listed.</summary>
public sealed record PrestaShopAnswer(int Status, string ContentType, string Body, IReadOnlyList<(int Code, string Message)> Errors)
{
    public bool IsJson => ContentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    public string ErrorText => Errors.Count > 0
        ? string.Join("; ", Errors.Select(e => $"{e.Message} (code {e.Code})"))
        : Body.Length > 300 ? Body[..300] : Body;
}
