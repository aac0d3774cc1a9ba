package dev.addressable.relay.http.route;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.http.endpoint.AckEndpoint;
import dev.addressable.relay.http.endpoint.AssetsEndpoint;
import dev.addressable.relay.http.endpoint.ConnectEndpoint;
import dev.addressable.relay.http.endpoint.DashboardEndpoint;
import dev.addressable.relay.http.endpoint.EventEndpoint;
import dev.addressable.relay.http.endpoint.OpsEndpoint;
import dev.addressable.relay.http.endpoint.SendEndpoint;
import dev.addressable.relay.http.endpoint.StatusEndpoint;
import dev.addressable.relay.http.endpoint.TopicEndpoint;
import dev.addressable.relay.http.transport.Transports;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.AdminToken;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.send.Dispatcher;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.variable.EventVariables;
import java.util.function.LongSupplier;

/** The relay's endpoints and receive transports, wired to the core they serve. */
public record Endpoints(
    ConnectEndpoint connect, SendEndpoint send, EventEndpoint events, OpsEndpoint ops, AckEndpoint ack,
    AssetsEndpoint assets, TopicEndpoint topics, StatusEndpoint status, DashboardEndpoint dashboard,
    Transports transports) {

  /** Wires every endpoint to the relay's core parts. */
  public static Endpoints of(RelayConfig config, Directory directory, KeyRing keys, Dispatcher dispatcher,
      LongPoll longPoll, Streams streams, EventVariables variables, Parker parker, Metrics metrics, MemoryBudget budget,
      LongSupplier clock) {
    SendEndpoint send = new SendEndpoint(dispatcher, config.inbox(), metrics);
    AdminToken admin = AdminToken.of(config.admin());
    return new Endpoints(
        new ConnectEndpoint(directory, keys, metrics, config.server().publicUrl()),
        send,
        new EventEndpoint(variables, config.poll()),
        new OpsEndpoint(metrics, directory, parker, budget, admin),
        new AckEndpoint(directory, keys),
        new AssetsEndpoint(),
        new TopicEndpoint(dispatcher.topics(), directory, keys, config.topics(), config.server().publicUrl()),
        new StatusEndpoint(directory, config.presence().grace(), clock),
        new DashboardEndpoint(admin),
        Transports.standard(directory, keys, longPoll, streams, send, config.poll(), metrics, budget));
  }
}
