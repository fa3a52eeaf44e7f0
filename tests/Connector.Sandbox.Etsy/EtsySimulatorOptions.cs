namespace Connector.Sandbox.Etsy;

public sealed class EtsySimulatorOptions
{
    /// <summary>Loopback port; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Clock for token lifetimes, rate-limit windows and listing timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>§3.4: QPS allowance per application (default for new commercial apps: 10).</summary>
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>§3.4: QPD allowance per application over a sliding 24 hours (default 10,000).</summary>
    public int DailyLimit { get; set; } = 10000;

    /// <summary>§3.3: "access tokens … are valid for one hour".</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>§3.3: "Refresh tokens are valid for 90 days".</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Authorization codes [I: not documented; OAuth practice is minutes]. Single use.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
