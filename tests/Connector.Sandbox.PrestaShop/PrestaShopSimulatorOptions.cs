namespace Connector.Sandbox.PrestaShop;

public sealed class PrestaShopSimulatorOptions
{
    /// <summary>Loopback port; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Clock for dates (date_add, specific price windows) and request records.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
