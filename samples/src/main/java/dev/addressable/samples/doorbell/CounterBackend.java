package dev.addressable.samples.doorbell;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The doorbell sample's own backend: a shared counter kept in the app's store (here, memory),
 * which knows nothing about push. After each increment it rings the relay's event variable for
 * the version clients are waiting on — one plain HTTP POST, as any backend would — and clients
 * re-read the counter and wait on the next version's doorbell.
 *
 * <pre>
 * GET  /samples/doorbell/api/counter    → {"count":3,"version":3,"doorbell":"/ev/&lt;id&gt;-v3"}
 * POST /samples/doorbell/api/increment  → the same, after the increment (and the ring)
 * </pre>
 */
public final class CounterBackend {

  private final String id = "doorbell-" + HexFormat.of().formatHex(randomBytes());
  private final AtomicLong count = new AtomicLong();
  private final HttpClient http = HttpClient.newHttpClient();

  public void configure(JavalinConfig cfg) {
    cfg.routes.get("/samples/doorbell/api/counter", this::read);
    cfg.routes.post("/samples/doorbell/api/increment", this::increment);
  }

  private void read(Context ctx) {
    answer(ctx, count.get());
  }

  private void increment(Context ctx) {
    long now = count.incrementAndGet();
    ring(ctx, now - 1);
    answer(ctx, now);
  }

  /** Rings the doorbell of {@code version}: everyone waiting for a change after it wakes up. */
  private void ring(Context ctx, long version) {
    URI relay = URI.create(ctx.scheme() + "://" + "127.0.0.1:" + ctx.port() + doorbell(version));
    http.sendAsync(HttpRequest.newBuilder(relay).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private String doorbell(long version) {
    return "/ev/" + id + "-v" + version;
  }

  private void answer(Context ctx, long value) {
    ctx.contentType("application/json").result(
        "{\"count\":" + value + ",\"version\":" + value + ",\"doorbell\":\"" + doorbell(value) + "\"}");
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
