package dev.addressable.relay.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WebhooksTest {

  private static final String SECRET = "s3cret";
  private final MockWebServer server = new MockWebServer();
  private final Metrics metrics = new Metrics();
  private Webhooks webhooks;

  @BeforeEach
  void start() throws Exception {
    server.start(0);
  }

  @AfterEach
  void stop() {
    if (webhooks != null) {
      webhooks.close();
    }
    server.close();
  }

  private Webhooks webhooks(int retries, int queue) {
    webhooks = new Webhooks(URI.create(server.url("/hook").toString()), SECRET, retries, queue, Duration.ofMillis(20), metrics);
    return webhooks;
  }

  private static long metric(Metrics metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics.render());
    assertTrue(m.find(), name);
    return Long.parseLong(m.group(1));
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(request != null, "no webhook request within 5 s");
    return request;
  }

  @Test
  void postsTheEventSignedWithHmacOfTheBody() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    webhooks(2, 10).emit("{\"type\":\"channel.online\"}");
    RecordedRequest request = take();
    assertEquals("POST", request.getMethod());
    assertEquals("/hook", request.getTarget());
    String body = request.getBody().utf8();
    assertEquals("{\"type\":\"channel.online\"}", body);
    assertEquals("application/json", request.getHeaders().get("Content-Type"));
    String expected = Webhooks.signature(SECRET, body);
    assertTrue(expected.matches("sha256=[0-9a-f]{64}"), expected);
    assertEquals(expected, request.getHeaders().get("X-Addressable-Signature"));
  }

  @Test
  void retriesOnServerErrorsThenSucceeds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    webhooks(3, 10).emit("{\"n\":1}");
    for (int i = 0; i < 3; i++) {
      assertEquals("{\"n\":1}", take().getBody().utf8());
    }
    Await.until("the delivered event counted as sent", Duration.ofSeconds(5),
        () -> metric(metrics, "addressable_webhooks_sent_total") >= 1);
    assertEquals(0, metric(metrics, "addressable_webhooks_failed_total"));
  }

  @Test
  void givesUpAfterItsRetriesAndGoesOnWithTheNext() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    server.enqueue(new MockResponse.Builder().code(200).build());
    Webhooks hooks = webhooks(2, 10);
    hooks.emit("{\"n\":1}");
    hooks.emit("{\"n\":2}");
    for (int i = 0; i < 3; i++) {
      assertEquals("{\"n\":1}", take().getBody().utf8(), "attempt " + i);
    }
    assertEquals("{\"n\":2}", take().getBody().utf8());
    assertEquals(1, metric(metrics, "addressable_webhooks_failed_total"));
  }

  @Test
  void doesNotRetryAClientError() throws Exception {
    server.enqueue(new MockResponse.Builder().code(400).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    Webhooks hooks = webhooks(5, 10);
    hooks.emit("{\"n\":1}");
    hooks.emit("{\"n\":2}");
    assertEquals("{\"n\":1}", take().getBody().utf8());
    assertEquals("{\"n\":2}", take().getBody().utf8());
    assertEquals(1, metric(metrics, "addressable_webhooks_failed_total"));
  }

  @Test
  void deliversInTheOrderEmitted() throws Exception {
    for (int i = 0; i < 20; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    Webhooks hooks = webhooks(1, 100);
    for (int i = 0; i < 20; i++) {
      hooks.emit("{\"n\":" + i + "}");
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("{\"n\":" + i + "}", take().getBody().utf8());
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).bodyDelay(1, TimeUnit.SECONDS).build());
    Webhooks hooks = webhooks(0, 2);
    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      hooks.emit("{\"n\":" + i + "}");
    }
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "emit must not block");
    assertTrue(metric(metrics, "addressable_webhooks_dropped_total") >= 45);
  }
}
