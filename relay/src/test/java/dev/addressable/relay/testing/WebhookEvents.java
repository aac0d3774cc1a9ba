package dev.addressable.relay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.webhook.Webhooks;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** What an app's webhook endpoint (a {@link MockWebServer}) received, one event at a time. */
public final class WebhookEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookEvents() {}

  /** The next event posted to {@code hook} within 10 s, its signature checked against {@code secret}. */
  public static JsonNode next(MockWebServer hook, String secret) throws Exception {
    RecordedRequest request = hook.takeRequest(10, TimeUnit.SECONDS);
    assertTrue(request != null, "no webhook event within 10 s");
    String body = request.getBody().utf8();
    assertEquals(Webhooks.signature(secret, body), request.getHeaders().get("X-Addressable-Signature"));
    return JSON.readTree(body);
  }
}
