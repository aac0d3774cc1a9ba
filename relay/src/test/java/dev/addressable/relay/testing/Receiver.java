package dev.addressable.relay.testing;

import dev.addressable.relay.testing.RelayClient.Connection;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test receiver over one transport: it reads a channel from a cursor on and queues what
 * arrives, in order. Recorder-style: tests take events one by one with a bounded wait and can
 * check that nothing unexpected is left.
 */
public abstract class Receiver implements AutoCloseable {

  /**
   * One thing that arrived: a message, or a missed marker ({@code missed} true, no data).
   *
   * @param topic the id of the topic a message was published to, or {@code null}
   */
  public record Event(long seq, String data, String cursor, boolean missed, String topic) {

    public Event(long seq, String data, String cursor, boolean missed) {
      this(seq, data, cursor, missed, null);
    }

    /** A message event from its JSON object. */
    static Event message(com.fasterxml.jackson.databind.JsonNode json, String cursor) {
      return new Event(json.get("seq").asLong(), json.get("data").asText(), cursor, false,
          json.hasNonNull("topic") ? json.get("topic").asText() : null);
    }

    @Override
    public String toString() {
      return missed ? "missed@" + cursor : seq + ":" + data;
    }
  }

  /** The transports under test. */
  public enum Kind {
    LONG_POLL, JSONP, SSE, WEBSOCKET;

    public Receiver open(String base, Connection c, String cursor) {
      return switch (this) {
        case LONG_POLL -> new PollReceiver(base, c, cursor, false);
        case JSONP -> new PollReceiver(base, c, cursor, true);
        case SSE -> new SseReceiver(base, c, cursor);
        case WEBSOCKET -> new WebSocketReceiver(base, c, cursor);
      };
    }
  }

  protected final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile String cursor;

  protected Receiver(String cursor) {
    this.cursor = cursor;
  }

  /** The next event, waiting at most 5 s. */
  public Event next() throws InterruptedException {
    Object item = queue.poll(5, TimeUnit.SECONDS);
    if (item instanceof Throwable t) {
      throw new AssertionError("receiver failed", t);
    }
    if (item == null) {
      throw new AssertionError("nothing arrived within 5 s");
    }
    return (Event) item;
  }

  /** The next message, skipping nothing: fails if a missed marker comes instead. */
  public Event nextMessage() throws InterruptedException {
    Event e = next();
    if (e.missed()) {
      throw new AssertionError("expected a message, got " + e);
    }
    return e;
  }

  /** Nothing more arrives within {@code millis}. */
  public void assertQuiet(long millis) throws InterruptedException {
    Object item = queue.poll(millis, TimeUnit.MILLISECONDS);
    if (item != null) {
      throw new AssertionError("unexpected " + item);
    }
  }

  /** Where the receiver stands: the cursor after the last event. */
  public String cursor() {
    return cursor;
  }

  /** Whether the transport is ready to receive (parked or connected). */
  public abstract boolean isReady();

  protected void arrived(Event event) {
    cursor = event.cursor();
    queue.add(event);
  }

  protected void failed(Throwable t) {
    queue.add(t);
  }

  /** Waits until the receiver is ready; transports connect asynchronously. */
  public Receiver awaitReady() throws InterruptedException {
    Await.until(getClass().getSimpleName() + " ready to receive", Duration.ofSeconds(5), this::isReady);
    return this;
  }

  @Override
  public abstract void close();
}
