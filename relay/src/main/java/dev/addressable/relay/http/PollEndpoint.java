package dev.addressable.relay.http;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.text.Ascii;
import dev.addressable.relay.transport.LongPoll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /poll}: the long-poll receiver, plain or JSONP. Parks without a thread until the
 * channel's feed holds something after the cursor, or the timeout passes. A poll with a valid key
 * makes the channel live again if it had expired or the relay restarted; the old cursor then gets
 * {@code "missed":true}.
 *
 * <p>A parked poll is answered on the thread that ends its wait: a sender's request thread, a
 * selector thread waking many receivers, or a pool slice of timeouts (never the timer thread). The
 * answer is a small non-blocking write, cheaper than handing it to yet another thread. A client
 * that goes away while its poll waits takes it off the waiting list at once
 * ({@link Exchange#waiting}).
 */
final class PollEndpoint {

  private final Directory directory;
  private final KeyRing keys;
  private final LongPoll longPoll;
  private final PollConfig config;
  private final Metrics metrics;

  PollEndpoint(Directory directory, KeyRing keys, LongPoll longPoll, PollConfig config, Metrics metrics) {
    this.directory = directory;
    this.keys = keys;
    this.longPoll = longPoll;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Opens a poll: answers at once when there is something to read (or the request is refused),
   * else parks it until a send wakes it or its timeout ends it, and then answers it through
   * {@code exchange} on that thread.
   *
   * @param authorization the {@code Authorization} header, or {@code null}
   * @param callback the JSONP callback, or {@code null}
   * @param exchange gets the answer of a poll that waited (never one returned here)
   * @return the answer now, or {@code null} if the poll waits
   */
  Answer handle(Fields fields, String authorization, String callback, Exchange exchange) {
    Duration timeout = Requests.timeout(fields.get("timeout"), config.defaultTimeout(), config.maxTimeout());
    Receiving receiving = Receiving.open(directory, keys, fields.get("client"), fields.get("channel"),
        Requests.key(authorization, fields.get("key")), fields.get("cursor"));
    Batch now;
    try {
      now = longPoll.poll(receiving.channel(), receiving.after(), receiving.cursor() != null, timeout,
          (batch, failure) -> exchange.answer(answerOrError(batch, failure, callback)), exchange::waiting);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_cursor", e.getMessage());
    }
    return now == null ? null : answer(now, callback);
  }

  /** The answer to a poll that waited, or the error answer if reading failed (a fault of ours). */
  private Answer answerOrError(Batch batch, Throwable failure, String callback) {
    if (failure == null) {
      try {
        return answer(batch, callback);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    metrics.error();
    return Answer.failed(failure, callback);
  }

  private Answer answer(Batch result, String callback) {
    metrics.pollAnswered();
    metrics.messagesDelivered(result.messages().size());
    return callback == null
        ? Answer.json(200, new Utf8Body(result))
        : Answer.script(Jsonp.call(callback, body(result, true)));
  }

  /**
   * The answer, built from each message's shared JSON: {@code {"cursor","messages"[,"missed"]}},
   * with {@code "status":200} for JSONP.
   */
  static String body(Batch result, boolean withStatus) {
    StringBuilder out = new StringBuilder(64 + 96 * result.messages().size());
    out.append("{\"cursor\":\"").append(result.cursor()).append("\",\"messages\":[");
    for (int i = 0; i < result.messages().size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      result.messages().get(i).appendJson(out);
    }
    out.append(']');
    if (result.missed()) {
      out.append(",\"missed\":true");
    }
    appendUnsubscribed(out, result.unsubscribed());
    if (withStatus) {
      out.append(",\"status\":200");
    }
    return out.append('}').toString();
  }

  /** {@code ,"unsubscribed":["id",…]} when the reader's cursor named topics the channel no longer follows. */
  static void appendUnsubscribed(StringBuilder out, List<String> topics) {
    if (topics.isEmpty()) {
      return;
    }
    out.append(",\"unsubscribed\":[");
    for (int i = 0; i < topics.size(); i++) {
      out.append(i > 0 ? ",\"" : "\"").append(topics.get(i)).append('"'); // ids are [A-Za-z0-9_-]
    }
    out.append(']');
  }

  /**
   * The plain answer, {@link #body body(result, false)}, written as UTF-8 straight from each
   * message's shared encoding: a fan-out to thousands of receivers makes no string per receiver.
   */
  static final class Utf8Body implements Answer.Utf8 {

    private static final byte[] CURSOR = Ascii.bytes("{\"cursor\":\"");
    private static final byte[] MESSAGES = Ascii.bytes("\",\"messages\":[");
    private static final byte[] MISSED = Ascii.bytes(",\"missed\":true");
    private static final byte[] EMPTY = new byte[0];

    private final byte[] cursor;
    private final List<Message> messages;
    private final boolean missed;
    private final byte[] unsubscribed;
    private final int length;

    Utf8Body(Batch result) {
      this.cursor = result.cursor().toString().getBytes(StandardCharsets.UTF_8);
      this.messages = result.messages();
      this.missed = result.missed();
      this.unsubscribed = result.unsubscribed().isEmpty() ? EMPTY : unsubscribed(result.unsubscribed());
      int n = CURSOR.length + cursor.length + MESSAGES.length + Math.max(0, messages.size() - 1) + 1
          + (missed ? MISSED.length : 0) + unsubscribed.length + 1;
      for (Message message : messages) {
        n += message.jsonLength();
      }
      this.length = n;
    }

    private static byte[] unsubscribed(List<String> topics) {
      StringBuilder out = new StringBuilder(64);
      appendUnsubscribed(out, topics);
      return Ascii.bytes(out.toString());
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void writeTo(byte[] into, int at) {
      at = Ascii.put(into, at, CURSOR);
      at = Ascii.put(into, at, cursor);
      at = Ascii.put(into, at, MESSAGES);
      for (int i = 0; i < messages.size(); i++) {
        if (i > 0) {
          into[at++] = ',';
        }
        at = messages.get(i).writeJson(into, at);
      }
      into[at++] = ']';
      if (missed) {
        at = Ascii.put(into, at, MISSED);
      }
      at = Ascii.put(into, at, unsubscribed);
      into[at] = '}';
    }
  }
}
