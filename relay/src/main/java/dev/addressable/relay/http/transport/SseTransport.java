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
import dev.addressable.relay.http.wire.HubRequest;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.HubStream;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.StreamPump;
import dev.addressable.relay.transport.StreamSink;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.transport.TooManyClientPollsException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

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
  private final Hubs hubs;
  private final int maxChannels;
  private final ClientPolls polls;

  /** @param polls the polls and streams each client holds ({@code --max-polls-per-client}) */
  public SseTransport(Store store, Receivers receivers, KeyRing keys, Streams streams, Metrics metrics, Later later,
      Hubs hubs, int maxChannels, ClientPolls polls) {
    this.hubs = hubs;
    this.maxChannels = maxChannels;
    this.polls = polls;
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

  /**
   * Opens the stream; its answer comes through {@code exchange}. The stream holds one of its
   * client's slots ({@code --max-polls-per-client}) until it closes; a client holding all of them
   * is refused with 429 {@code too_many_polls}.
   */
  @Override
  public Answer receive(Call call, Fields fields, String callback, Exchange exchange) {
    if (!call.is("GET")) {
      throw ApiException.methodNotAllowed("GET");
    }
    if (HubRequest.isHub(fields)) {
      return receiveHub(call, fields, exchange);
    }
    String lastEventId = call.header("Last-Event-ID");
    Receiving receiving = Receiving.open(receivers, keys, fields.get("client"), fields.get("channel"),
        Requests.key(call, fields), lastEventId != null && !lastEventId.isEmpty() ? lastEventId : fields.get("cursor"));
    return counted(receiving.channel().client(), exchange, out -> stream(receiving, callback, out));
  }

  /**
   * Runs {@code start} as one of {@code client}'s streams: with the exchange it answers through,
   * which gives the client's slot back when the stream ends (or is never started).
   *
   * @throws TooManyClientPollsException if the client holds its cap of polls and streams
   */
  private Answer counted(String client, Exchange exchange, Function<Exchange, Answer> start) {
    if (!polls.isCapped()) {
      return start.apply(exchange);
    }
    if (!polls.tryTake(client)) {
      throw new TooManyClientPollsException(polls.max());
    }
    CappedExchange held = new CappedExchange(exchange, polls, client);
    return held.serve(() -> start.apply(held));
  }

  private Answer stream(Receiving receiving, String callback, Exchange exchange) {
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

  /**
   * A hub's stream ({@code hub=<term>&channels=…}). It starts with the channels listed; joining or
   * leaving one means opening the stream again with the new list (the same term replaces this
   * stream), which works whichever relay of a cluster the new request reaches. Acks go to
   * {@code POST /ack}. Events carry no {@code id:}: a hub reconnects with its full list, never
   * through {@code Last-Event-ID}. It holds one slot of its client, as any stream does.
   */
  private Answer receiveHub(Call call, Fields fields, Exchange exchange) {
    long term = HubRequest.term(fields);
    String client = Requests.client(fields.get("client"));
    Requests.authorize(keys, client, Requests.key(call, fields));
    Map<String, FeedCursor> channels = HubRequest.channels(fields.get("channels"), maxChannels);
    return counted(client, exchange, out -> streamHub(client, term, channels, out));
  }

  private Answer streamHub(String client, long term, Map<String, FeedCursor> channels, Exchange exchange) {
    HubEvents events = new HubEvents();
    HubStream hub = streams.openHub(new ClientId(client), term, hubs, maxChannels, events); // refusals answer as JSON
    Exchange.Stream out = exchange.stream(CONTENT_TYPE);
    out.onClose(hub::stop);
    events.start(new SerialWrites(out), open -> {
      if (open) {
        channels.forEach(hub::join);
      } else {
        hub.stop();
      }
    });
    return null;
  }

  /** A hub's events: each data object tagged with its channel. */
  private final class HubEvents implements HubStream.Sink {
    private volatile SerialWrites out;
    /** A close asked for before the stream began (a newer hub connected at once): made as it begins. */
    private volatile String[] closeFirst;

    /** Begins the stream with its preamble; {@code then} as for a write. */
    void start(SerialWrites writes, Consumer<Boolean> then) {
      out = writes;
      writes.write(PREAMBLE, then);
      String[] early = closeFirst;
      if (early != null) {
        close(early[0], early[1]);
      }
    }

    @Override
    public void deliver(String channel, Batch batch, Consumer<Boolean> then) {
      StringBuilder text = new StringBuilder(128 * (batch.messages().size() + 1));
      if (batch.missed()) {
        hubEvent(text, "missed", Frames.tagged(channel, Frames.missed(batch.cursorBefore())));
      }
      if (!batch.unsubscribed().isEmpty()) {
        hubEvent(text, "unsubscribed", Frames.tagged(channel, Frames.unsubscribed(batch.unsubscribed())));
      }
      FeedCursor[] after = batch.cursorsAfterEach();
      for (int i = 0; i < after.length; i++) {
        hubEvent(text, null, Frames.tagged(channel, Frames.message(batch.messages().get(i), after[i])));
      }
      metrics.messagesDelivered(batch.messages().size());
      metrics.delivered(name(), batch.messages());
      out.write(text.toString().getBytes(StandardCharsets.UTF_8), then);
    }

    @Override
    public void heartbeat(long now, Consumer<Boolean> then) {
      out.write((": heartbeat\nevent: heartbeat\ndata: " + now + "\n\n").getBytes(StandardCharsets.US_ASCII), then);
    }

    @Override
    public void refuse(String channel, String code, String reason) {
      StringBuilder text = new StringBuilder();
      hubEvent(text, "refused", Json.write(Map.of("channel", channel, "error", code, "message", reason)));
      out.write(text.toString().getBytes(StandardCharsets.UTF_8), written -> { });
    }

    @Override
    public void close(String code, String reason) {
      SerialWrites writes = out;
      if (writes == null) {
        closeFirst = new String[] {code, reason};
        return;
      }
      StringBuilder text = new StringBuilder();
      hubEvent(text, "superseded".equals(code) ? "superseded" : "error",
          Json.write(Map.of("error", code, "message", reason)));
      writes.write(text.toString().getBytes(StandardCharsets.UTF_8), written -> writes.close());
    }
  }

  /** One event without an id; the data is one line of JSON. */
  private static void hubEvent(StringBuilder text, String name, String json) {
    if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      throw new IllegalStateException("line break in an SSE framing field");
    }
    if (name != null) {
      text.append("event: ").append(name).append('\n');
    }
    text.append("data: ").append(json).append("\n\n");
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
