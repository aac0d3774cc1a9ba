package dev.addressable.relay.http.route;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.http.endpoint.AckEndpoint;
import dev.addressable.relay.http.endpoint.AssetsEndpoint;
import dev.addressable.relay.http.endpoint.ConnectEndpoint;
import dev.addressable.relay.http.endpoint.DashboardEndpoint;
import dev.addressable.relay.http.endpoint.EventEndpoint;
import dev.addressable.relay.http.endpoint.Later;
import dev.addressable.relay.http.endpoint.LeaveEndpoint;
import dev.addressable.relay.http.endpoint.OpsEndpoint;
import dev.addressable.relay.http.endpoint.SendEndpoint;
import dev.addressable.relay.http.endpoint.StatusEndpoint;
import dev.addressable.relay.http.endpoint.TopicEndpoint;
import dev.addressable.relay.http.transport.Transports;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.AdminToken;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.topic.TopicKeys;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.variable.Doorbells;
import java.util.concurrent.Executor;

/** The relay's endpoints and receive transports, wired to the core they serve. */
public record Endpoints(
    ConnectEndpoint connect, SendEndpoint send, EventEndpoint events, OpsEndpoint ops, AckEndpoint ack,
    LeaveEndpoint leave, AssetsEndpoint assets, TopicEndpoint topics, StatusEndpoint status,
    DashboardEndpoint dashboard, Transports transports) {

  /**
   * The node's parts the endpoints use beside the store: where receivers and waiting senders wait,
   * and how many polls and streams each client holds here ({@code clientPolls}).
   */
  public record Node(Receivers receivers, Receipts receipts, Doorbells doorbells, LongPoll longPoll, Streams streams,
      Parker parker, Hubs hubs, ClientPolls clientPolls) {}

  /**
   * Wires every endpoint to the store and the node's parts.
   *
   * @param executor where answers that a store gives later are made: the relay's pool
   */
  public static Endpoints of(RelayConfig config, Store store, Node node, KeyRing keys, Metrics metrics,
      MemoryBudget budget, Executor executor) {
    Later later = new Later(executor, metrics);
    TopicKeys topicKeys = new TopicKeys(keys);
    SendEndpoint send = new SendEndpoint(store, topicKeys, node.receipts(), config.inbox(), metrics, later);
    AdminToken admin = AdminToken.of(config.admin());
    String publicUrl = config.server().publicUrl();
    return new Endpoints(
        new ConnectEndpoint(store, keys, metrics, later, publicUrl),
        send,
        new EventEndpoint(store, node.doorbells(), later, config.poll()),
        new OpsEndpoint(metrics, store, node.parker(), budget, admin),
        new AckEndpoint(store, node.receivers(), keys, later),
        new LeaveEndpoint(store, keys, later),
        new AssetsEndpoint(),
        new TopicEndpoint(store, topicKeys, node.receivers(), keys, later, publicUrl),
        new StatusEndpoint(store, later),
        new DashboardEndpoint(admin),
        Transports.standard(store, node.receivers(), keys, node.longPoll(), node.streams(), send, config.poll(), metrics,
            budget, later, node.hubs(), config.inbox().maxChannelsPerClient(), node.clientPolls()));
  }
}
