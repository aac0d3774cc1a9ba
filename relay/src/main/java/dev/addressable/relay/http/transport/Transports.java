package dev.addressable.relay.http.transport;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.http.endpoint.Later;
import dev.addressable.relay.http.endpoint.SendEndpoint;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.HubPoll;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.Streams;
import java.util.List;

/** The relay's receive transports, in the order they are asked whether they serve a request. */
public final class Transports {

  private final List<Transport> all;

  public Transports(List<Transport> all) {
    this.all = List.copyOf(all);
  }

  /**
   * The four the browser library speaks.
   *
   * @param clientPolls the polls and SSE streams each client holds, which the long-poll, JSONP and
   *     SSE transports count ({@code --max-polls-per-client}); WebSockets are not counted
   */
  public static Transports standard(Store store, Receivers receivers, KeyRing keys, LongPoll longPoll, Streams streams,
      SendEndpoint sends, PollConfig config, Metrics metrics, MemoryBudget budget, Later later, Hubs hubs,
      int maxChannelsPerHub, ClientPolls clientPolls) {
    HubPoll hubPoll = new HubPoll(longPoll, hubs);
    return new Transports(List.of(
        new PollTransport(PollTransport.Form.JSON, receivers, keys, longPoll, config, metrics, hubPoll, maxChannelsPerHub,
            clientPolls),
        new PollTransport(PollTransport.Form.JSONP, receivers, keys, longPoll, config, metrics, hubPoll, maxChannelsPerHub,
            clientPolls),
        new SseTransport(store, receivers, keys, streams, metrics, later, hubs, maxChannelsPerHub, clientPolls),
        new WebSocketTransport(store, receivers, keys, streams, sends, metrics, budget, later.executor(), hubs,
            maxChannelsPerHub)));
  }

  /** The transport that serves a request for {@code route} with this JSONP {@code callback}, or {@code null}. */
  public Transport find(Route route, String callback) {
    for (Transport transport : all) {
      if (transport.serves(route, callback)) {
        return transport;
      }
    }
    return null;
  }

  /** The one transport of {@code type}, e.g. the WebSocket transport, which the server upgrades to. */
  public <T extends Transport> T get(Class<T> type) {
    for (Transport transport : all) {
      if (type.isInstance(transport)) {
        return type.cast(transport);
      }
    }
    throw new IllegalStateException("no " + type.getSimpleName() + " among the transports");
  }

  public List<Transport> all() {
    return all;
  }
}
