using Connector.Messaging;

namespace Connector.Functions;

/// <summary>One message kind and how to run its handler; the dispatcher finds it by the message's type.</summary>
public sealed record QueueWorkRegistration(
    Type MessageType, Func<QueueWorkDispatcher, IServiceProvider, QueueWorkDispatcher.Context, Task<Microsoft.AspNetCore.Http.IResult>> Run);

public static class QueueWorkServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> for <typeparamref name="TMessage"/>: adding a message kind is this line and its handler.</summary>
    public static IServiceCollection AddQueueWorkHandler<TMessage, THandler>(this IServiceCollection services)
        where TMessage : QueueMessage
        where THandler : class, IQueueWorkHandler<TMessage>
    {
        services.AddTransient<IQueueWorkHandler<TMessage>, THandler>();
        services.AddSingleton(new QueueWorkRegistration(typeof(TMessage), (dispatcher, provider, context) =>
            dispatcher.RunAsync(provider.GetRequiredService<IQueueWorkHandler<TMessage>>(), (TMessage)context.Message, context)));
        return services;
    }
}
