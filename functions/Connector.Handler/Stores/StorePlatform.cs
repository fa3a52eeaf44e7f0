namespace Connector.Stores;

/// <summary>A registered store platform: its key, under which its capabilities are registered (keyed services).</summary>
public sealed record StorePlatform(string Key);
