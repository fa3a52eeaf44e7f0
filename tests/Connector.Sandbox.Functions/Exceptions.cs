using System.Net;

namespace Connector.Sandbox.Functions;

/// <summary>The emulated host could not start: bad host.json/function.json, a missing setting, or a handler that did not come up.</summary>
public sealed class FunctionsHostStartupException : Exception
{
    public FunctionsHostStartupException(string message)
        : base(message)
    {
    }

    public FunctionsHostStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An invocation failed the way the host fails it (§1.9): non-2xx, empty or non-JSON result, connection failure or timeout.</summary>
public sealed class FunctionInvocationException : Exception
{
    public FunctionInvocationException(string functionName, string message, HttpStatusCode? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FunctionName = functionName;
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    public string FunctionName { get; }

    public HttpStatusCode? StatusCode { get; }

    public string? ResponseBody { get; }
}

/// <summary>The handler exited because another socket took the port picked for it; the start is tried again with a new port.</summary>
internal sealed class HandlerPortTakenException(int port, string output) : Exception($"Port {port} was taken before the handler bound it.")
{
    public int Port { get; } = port;

    public string Output { get; } = output;
}
