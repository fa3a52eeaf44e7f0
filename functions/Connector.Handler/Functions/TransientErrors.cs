using Azure;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Functions;

/// <summary>The one classification of failures worth another try: throttling, timeouts, 5xx, lost connections, a row that kept changing.</summary>
public static class TransientErrors
{
    public static bool IsTransient(Exception e) => e switch
    {
        TikTokApiException t => t.IsTransient || t.Code == TikTokErrorCodes.ExpiredAccessToken,
        StoreUnavailableException or StateContendedException or HttpRequestException or TimeoutException => true,
        Azure.Messaging.ServiceBus.ServiceBusException b => b.IsTransient,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        TaskCanceledException => true,
        Polly.CircuitBreaker.BrokenCircuitException => true,
        _ => false,
    };

    /// <summary>Who did not answer, in the merchant's words.</summary>
    public static string Source(Exception error) => error switch
    {
        TikTokApiException => "TikTok",
        StoreUnavailableException => "Your store",
        RequestFailedException => "Azure Table Storage",
        Azure.Messaging.ServiceBus.ServiceBusException => "Azure Service Bus",
        _ => "A service Connector depends on",
    };
}
