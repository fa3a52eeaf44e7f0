namespace Connector.Stores;

/// <summary>A store platform's connection: what it needs from the merchant and whether what is stored works. Every platform has one.</summary>
public interface IStoreConnection
{
    /// <summary>The platform key stored on the shop (<c>ShopEntity.Platform</c>), lower case.</summary>
    string Platform { get; }

    /// <summary>The connection fields this platform needs (field → messages); <paramref name="isNew"/>: no stored values to fall back on.</summary>
    IReadOnlyDictionary<string, string[]> ValidateConnection(StoreConnection connection, bool isNew);

    /// <summary>
    /// Checks the stored connection works (credentials, API enabled, required configuration), throwing
    /// <see cref="StoreRejectedException"/> with a message naming the fix, or <see cref="StoreUnavailableException"/>.
    /// </summary>
    Task VerifyConnectionAsync(StoreAccess shop, CancellationToken cancellationToken);
}
