package dev.addressable.relay.http;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.send.Dispatcher;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.variable.EventVariables;
import java.util.function.LongSupplier;

/** The relay's endpoints, wired to the core they serve. */
public record Endpoints(
    ConnectEndpoint connect, PollEndpoint poll, SendEndpoint send, EventEndpoint events, OpsEndpoint ops,
    SseEndpoint sse, WebSocketEndpoint webSocket, AckEndpoint ack, AssetsEndpoint assets,
    TopicEndpoint topics, StatusEndpoint status) {

  /** Wires every endpoint to the relay's core parts. */
  public static Endpoints of(RelayConfig config, Directory directory, KeyRing keys, Dispatcher dispatcher,
      LongPoll longPoll, Streams streams, EventVariables variables, Parker parker, Metrics metrics, MemoryBudget budget,
      LongSupplier clock) {
    SendEndpoint send = new SendEndpoint(dispatcher, config.inbox(), metrics);
    return new Endpoints(
        new ConnectEndpoint(directory, keys, metrics, config.server().publicUrl()),
        new PollEndpoint(directory, keys, longPoll, config.poll(), metrics),
        send,
        new EventEndpoint(variables, config.poll()),
        new OpsEndpoint(metrics, directory, parker, budget),
        new SseEndpoint(directory, keys, streams, metrics),
        new WebSocketEndpoint(directory, keys, streams, send, metrics, budget),
        new AckEndpoint(directory, keys),
        new AssetsEndpoint(),
        new TopicEndpoint(dispatcher.topics(), directory, keys, config.topics(), config.server().publicUrl()),
        new StatusEndpoint(directory, config.presence().grace(), clock));
  }
}
