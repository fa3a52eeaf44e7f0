using Azure.Core;
using Azure.Core.Pipeline;

namespace Connector.Tests.Integration;

/// <summary>A fault at the Table Storage transport: each request is checked (and may be failed) before it is sent on.</summary>
internal abstract class StorageFaultPolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>Throws (as the transport would) when this request is to fail.</summary>
    protected abstract void Check(HttpMessage message);
}
