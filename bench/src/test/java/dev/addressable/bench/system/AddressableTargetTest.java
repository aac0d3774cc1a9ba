package dev.addressable.bench.system;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.bench.load.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A receiver's setup steps against the relay: connect, then (for a topic) subscribe, then polls. */
class AddressableTargetTest {

  private final Target target = Target.of("addressable-redis", "127.0.0.1:8080");

  private static HttpResponse answer(int status, String body) {
    return new HttpResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] request) {
    return new String(request, StandardCharsets.US_ASCII);
  }

  private static final String CONNECTED = "{\"client\":\"c1\",\"key\":\"k1\",\"channel\":\"t7\",\"cursor\":\"0.0\","
      + "\"url\":\"http://127.0.0.1:8080/c/abc\"}";

  @Test
  void aReceiverOfItsOwnChannelConnectsAndThenPolls() {
    Subscription s = new Subscription(7, "t7");
    assertTrue(text(target.setupRequest(s)).startsWith("POST /connect "));
    assertTrue(target.onSetup(s, answer(200, CONNECTED)));
    assertNull(target.setupRequest(s), "nothing more to set up");
    assertTrue(text(target.pollRequest(s)).contains("client=c1&channel=t7&cursor=0.0"));
  }

  @Test
  void aReceiverOfATopicSubscribesItsChannelAfterConnecting() {
    Subscription s = new Subscription(7, "t7");
    s.topic = "T";
    s.subscribeKey = "SK";
    target.onSetup(s, answer(200, CONNECTED));
    String subscribe = text(target.setupRequest(s));
    assertTrue(subscribe.startsWith("POST /subscribe "), subscribe);
    assertTrue(subscribe.endsWith("{\"client\":\"c1\",\"key\":\"k1\",\"channel\":\"t7\",\"topic\":\"T\",\"subscribeKey\":\"SK\"}"),
        subscribe);
    assertFalse(target.onSetup(s, answer(503, "{\"error\":\"store_unavailable\"}")), "a refused subscribe is no setup");
    assertTrue(text(target.setupRequest(s)).startsWith("POST /subscribe "), "asked again after a refusal");
    assertTrue(target.onSetup(s, answer(200, "{\"topic\":\"T\",\"subscribed\":true}")));
    assertNull(target.setupRequest(s));
  }
}
