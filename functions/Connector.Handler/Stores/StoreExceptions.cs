namespace Connector.Stores;

/// <summary>The store refused the order for a reason a retry will not fix (validation, missing stock, ...).</summary>
public sealed class StoreRejectedException(string message) : Exception(message);

/// <summary>The store is throttling or unavailable: redeliver later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
