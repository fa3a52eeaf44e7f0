using Connector;

var app = ConnectorApp.Build(args);
await app.RunAsync();

/// <summary>Entry point (also the anchor type for tests).</summary>
public partial class Program;
