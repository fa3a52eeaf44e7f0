namespace Connector.Functions;

/// <summary>The host payload is not a valid invocation; answered with 400 and a problem body.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
