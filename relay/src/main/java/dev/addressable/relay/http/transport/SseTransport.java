package dev.addressable.relay.http.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.endpoint.Later;
import dev.addressable.relay.http.endpoint.Receiving;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.StreamPump;
import dev.addressable.relay.transport.StreamSink;
import dev.addressable.relay.transport.Streams;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code GET /events}: Server-Sent Events. Each message is one event whose {@code data:} is the
 * message object and whose {@code id:} is the cursor after it, so a browser's automatic
 * reconnect resumes by {@code Last-Event-ID}. Lost messages are announced by an
 * {@code event: missed} whose data carries the cursor; topics the channel no longer follows by an
 * {@code event: unsubscribed}; every heartbeat interval without a message brings a comment line and
 * an {@code event: heartbeat} (comments are invisible to page scripts).
 *
 * <p>The stream starts after {@code Last-Event-ID} if sent, else after {@code cursor=}, else at
 * the current end. Bad input is refused with the usual JSON error before the stream starts.
 * Writes never wait on a thread: the next batch is read only once the last one left
 * ({@link StreamPump}), and a client that goes away ends the stream at once.
 */
public final class SseTransport implements Transport {

  static final String CONTENT_TYPE = "text/event-stream;charset=utf-8";
  private static final byte[] PREAMBLE = "retry: 3000\n: stream open\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Store store;
  private final Receivers receivers;
  private final KeyRing keys;
  private final Streams streams;
  private final Metrics metrics;
  private final Later later;

  public SseTransport(Store store, Receivers receivers, KeyRing keys, Streams streams, Metrics metrics, Later later) {
    this.store = store;
    this.receivers = receivers;
    this.keys = keys;
    this.streams = streams;
    this.metrics = metrics;
    this.later = later;
  }

  @Override
  public String name() {
    return "sse";
  }

  @Override
  public boolean serves(Route route, String callback) {
    return route.kind() == Route.Kind.EVENTS;
  }

  /** Opens the stream; its answer comes through {@code exchange}. */
  @Override
  public Answer receive(Call call, Fields fields, String callback, Exchange exchange) {
    if (!call.is("GET")) {
      throw ApiException.methodNotAllowed("GET");
    }
    String lastEventId = call.header("Last-Event-ID");
    Receiving receiving = Receiving.open(receivers, keys, fields.get("client"), fields.get("channel"),
        Requests.key(call, fields), lastEventId != null && !lastEventId.isEmpty() ? lastEventId : fields.get("cursor"));
    return later.answer(receiving.startStream(store, later.executor()), exchange, callback, after -> {
      Exchange.Stream out = exchange.stream(CONTENT_TYPE);
      out.write(PREAMBLE, open -> {
        if (open) {
          StreamPump pump = streams.open(receiving.channel(), after, new Sink(out));
          out.onClose(pump::stop);
        } else {
          store.release(receiving.channel(), Lease.STREAM); // gone before the stream began
        }
      });
      return null;
    });
  }

  /** Writes events to one stream; the pump calls it one call at a time. */
  private final class Sink implements StreamSink {
    private final Exchange.Stream out;

    Sink(Exchange.Stream out) {
      this.out = out;
    }

    @Override
    public void deliver(Batch batch, Consumer<Boolean> then) {
      StringBuilder text = new StringBuilder(128 * (batch.messages().size() + 1));
      if (batch.missed()) {
        FeedCursor at = batch.cursorBefore();
        event(text, "missed", at, Frames.missed(at));
      }
      if (!batch.unsubscribed().isEmpty()) {
        event(text, "unsubscribed", batch.cursorBefore(), Frames.unsubscribed(batch.unsubscribed()));
      }
      FeedCursor[] after = batch.cursorsAfterEach();
      for (int i = 0; i < after.length; i++) {
        event(text, null, after[i], Frames.message(batch.messages().get(i), null));
      }
      metrics.messagesDelivered(batch.messages().size());
      metrics.delivered(name(), batch.messages());
      out.write(text.toString().getBytes(StandardCharsets.UTF_8), then);
    }

    @Override
    public void heartbeat(long now, Consumer<Boolean> then) {
      out.write((": heartbeat\nevent: heartbeat\ndata: " + now + "\n\n")
          .getBytes(StandardCharsets.US_ASCII), then);
    }

    @Override
    public void close(String code, String reason) {
      byte[] error = ("event: error\ndata: " + Json.write(Map.of("error", code, "message", reason)) + "\n\n")
          .getBytes(StandardCharsets.UTF_8);
      out.write(error, written -> out.close());
    }
  }

  /**
   * Appends one event. Framing fields never hold CR or LF: the event name is ours, the id is a
   * cursor (checked), and the data is one line of JSON (JSON escapes line breaks in strings).
   */
  static void event(StringBuilder text, String name, FeedCursor id, String json) {
    if (name != null) {
      text.append("event: ").append(name).append('\n');
    }
    String idText = id.toString();
    if (idText.indexOf('\n') >= 0 || idText.indexOf('\r') >= 0 || json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      throw new IllegalStateException("line break in an SSE framing field");
    }
    text.append("id: ").append(idText).append('\n').append("data: ").append(json).append("\n\n");
  }
}
