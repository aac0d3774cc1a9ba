package dev.addressable.relay.http;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.transport.StreamPump;
import dev.addressable.relay.transport.StreamSink;
import dev.addressable.relay.transport.Streams;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /events}: Server-Sent Events. Each message is one event whose {@code data:} is the
 * message object and whose {@code id:} is the cursor after it, so a browser's automatic
 * reconnect resumes by {@code Last-Event-ID}. Lost messages are announced by an
 * {@code event: missed} whose data carries the cursor; every heartbeat interval without a
 * message brings a comment line and an {@code event: heartbeat} (comments are invisible to
 * page scripts).
 *
 * <p>The stream starts after {@code Last-Event-ID} if sent, else after {@code cursor=}, else at
 * the current end. Bad input is refused with the usual JSON error before the stream starts.
 */
final class SseEndpoint {

  private final Directory directory;
  private final KeyRing keys;
  private final Streams streams;
  private final Metrics metrics;

  SseEndpoint(Directory directory, KeyRing keys, Streams streams, Metrics metrics) {
    this.directory = directory;
    this.keys = keys;
    this.streams = streams;
    this.metrics = metrics;
  }

  void handle(Context ctx) throws IOException {
    Fields fields = Fields.of(ctx);
    String lastEventId = ctx.header("Last-Event-ID");
    Receiving receiving = Receiving.open(directory, keys, fields.get("client"), fields.get("channel"),
        Requests.key(ctx, fields), lastEventId != null && !lastEventId.isEmpty() ? lastEventId : fields.get("cursor"));
    FeedCursor after = receiving.startStream();

    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.header("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Sink sink = new Sink(out, closed);
    if (!sink.write("retry: 3000\n: stream open\n\n")) {
      return;
    }
    StreamPump pump = streams.open(receiving.channel(), after, sink);
    closed.whenComplete((ignored, error) -> pump.stop());
    ctx.future(() -> closed);
  }

  /** Writes events to one response; the pump calls it from one thread at a time. */
  private final class Sink implements StreamSink {
    private final OutputStream out;
    private final CompletableFuture<Void> closed;

    Sink(OutputStream out, CompletableFuture<Void> closed) {
      this.out = out;
      this.closed = closed;
    }

    @Override
    public boolean deliver(Batch batch) {
      StringBuilder text = new StringBuilder(128 * (batch.messages().size() + 1));
      if (batch.missed()) {
        FeedCursor at = batch.cursorBefore();
        event(text, "missed", at, Frames.missed(at));
      }
      FeedCursor[] after = batch.cursorsAfterEach();
      for (int i = 0; i < after.length; i++) {
        event(text, null, after[i], Frames.message(batch.messages().get(i), null));
      }
      metrics.messagesDelivered(batch.messages().size());
      return write(text.toString());
    }

    @Override
    public boolean heartbeat() {
      return write(": heartbeat\nevent: heartbeat\ndata: " + System.currentTimeMillis() + "\n\n");
    }

    @Override
    public void close(String code, String reason) {
      write("event: error\ndata: " + Json.write(java.util.Map.of("error", code, "message", reason)) + "\n\n");
      closed.complete(null);
    }

    private boolean write(String text) {
      try {
        synchronized (this) {
          out.write(text.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        return true;
      } catch (IOException | RuntimeException gone) {
        closed.complete(null);
        return false;
      }
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
