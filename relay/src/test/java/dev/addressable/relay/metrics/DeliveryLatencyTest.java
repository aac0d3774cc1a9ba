package dev.addressable.relay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each transport counts what it hands to a receiver in its own series of
 * {@code addressable_delivery_latency_seconds}, once per message, by the time the receiver has it.
 */
@Timeout(60)
class DeliveryLatencyTest {

  @RegisterExtension static final RelayExtension relay = new RelayExtension();

  private static final Map<Receiver.Kind, String> LABEL = Map.of(Receiver.Kind.LONG_POLL, "longpoll",
      Receiver.Kind.JSONP, "jsonp", Receiver.Kind.SSE, "sse", Receiver.Kind.WEBSOCKET, "websocket");

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void eachTransportCountsTheMessagesItDelivers(Receiver.Kind kind) throws Exception {
    RelayClient http = relay.client();
    String transport = LABEL.get(kind);
    long before = count(http, transport);
    Connection c = http.connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      http.sendGet(c.url(), "one");
      http.sendGet(c.url(), "two");
      assertEquals("one", receiver.nextMessage().data());
      assertEquals("two", receiver.nextMessage().data());
    }
    assertEquals(before + 2, count(http, transport), "deliveries counted for " + transport);
  }

  private static long count(RelayClient http, String transport) {
    Matcher m = Pattern.compile("(?m)^addressable_delivery_latency_seconds_count\\{transport=\"" + transport
        + "\"} (\\d+)$").matcher(http.get("/metrics").body());
    if (!m.find()) {
      throw new AssertionError("no latency count for " + transport);
    }
    return Long.parseLong(m.group(1));
  }
}
