package dev.addressable.relay.webhook;

import dev.addressable.relay.metrics.Metrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs events to the app's webhook, one at a time and in order, each signed with
 * {@code X-Addressable-Signature: sha256=<hex HMAC-SHA256 of the body>}. {@link #emit} never blocks:
 * events go into a bounded queue, and when it is full the event is dropped and counted. A failed
 * delivery (network error, 5xx, 408, 429) is retried with doubling pauses; after the configured
 * retries, or at once on another 4xx, it is given up and counted. One daemon thread sends.
 */
public final class Webhooks implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  private final URI url;
  private final String secret;
  private final int retries;
  private final Duration firstPause;
  private final Metrics metrics;
  private final BlockingQueue<String> queue;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread sender;
  private volatile boolean closed;

  public Webhooks(URI url, String secret, int retries, int queueSize, Duration firstPause, Metrics metrics) {
    this.url = url;
    this.secret = secret;
    this.retries = retries;
    this.firstPause = firstPause;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.sender = new Thread(this::run, "addressable-webhooks");
    sender.setDaemon(true);
    sender.start();
  }

  /** Queues one event (its JSON body); drops and counts it if the queue is full. Never blocks. */
  public void emit(String json) {
    if (!queue.offer(json)) {
      metrics.webhookDropped();
    }
  }

  /**
   * Delivers one event now, on the caller's thread, with the retries: for a caller that keeps
   * its own queue (cluster mode's stream in Redis) and forgets an event only after this returns.
   *
   * @throws InterruptedException if interrupted (the relay is stopping) before the outcome
   */
  public void deliverNow(String json) throws InterruptedException {
    if (!deliver(json)) {
      throw new InterruptedException("webhook delivery interrupted");
    }
  }

  /** The signature header's value for {@code body}. */
  public static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private void run() {
    while (!closed) {
      String body;
      try {
        body = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (body != null && !deliver(body)) {
        return;
      }
    }
  }

  /** Delivers one event with its retries; {@code false} if interrupted (closing). */
  private boolean deliver(String body) {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("X-Addressable-Signature", signature(secret, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    Duration pause = firstPause;
    for (int attempt = 0; attempt <= retries; attempt++) {
      int status;
      try {
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        return false;
      }
      if (status >= 200 && status < 300) {
        metrics.webhookSent();
        return true;
      }
      boolean retryable = status < 0 || status >= 500 || status == 408 || status == 429;
      if (!retryable || attempt == retries) {
        break;
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return false;
      }
      pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : pause.multipliedBy(2);
    }
    metrics.webhookFailed();
    LOG.warn("webhook event given up after {} attempts", retries + 1);
    return true;
  }

  @Override
  public void close() {
    closed = true;
    sender.interrupt();
  }
}
