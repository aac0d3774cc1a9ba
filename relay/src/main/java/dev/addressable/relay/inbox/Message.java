package dev.addressable.relay.inbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.text.Ascii;
import dev.addressable.relay.text.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message in a log (a channel's inbox or a topic's): its sequence number there, and a
 * {@link Body} that may be shared. Immutable.
 *
 * <p>A send to a client-wide address puts the same body into every inbox of the client, so
 * 10,000 tabs cost 10,000 of these small objects and one body, instead of 10,000 copies.
 */
public final class Message {

  private static final byte[] SEQ_PREFIX = Ascii.bytes("{\"seq\":");

  private final long seq;
  private final Body body;

  /**
   * @param seq position in its log, from 1, without gaps at append time
   * @param body what was sent
   */
  public Message(long seq, Body body) {
    this.seq = seq;
    this.body = body;
  }

  public long seq() {
    return seq;
  }

  /** The message text, decoded from its stored encoding (for tests and tools; answers use the bytes). */
  public String data() {
    return body.data();
  }

  public long ts() {
    return body.ts;
  }

  public long expiresAt() {
    return body.expiresAt;
  }

  /** Bytes this message's text keeps in memory: its stored JSON encoding, shared by every log it is in. */
  public int bytes() {
    return body.tail.length;
  }

  /** The topic, or {@code null}. */
  public String topic() {
    return body.topic;
  }

  Body body() {
    return body;
  }

  boolean expiredAt(long now) {
    return now >= body.expiresAt;
  }

  /** {@code {"seq":…,"data":"…","ts":…[,"topic":"…"]}}. */
  public String json() {
    return appendJson(new StringBuilder(body.tail.length + 24)).toString();
  }

  /** Appends {@link #json()} to {@code out}. */
  public StringBuilder appendJson(StringBuilder out) {
    return out.append("{\"seq\":").append(seq).append(new String(body.tail, StandardCharsets.UTF_8));
  }

  /** How many bytes {@link #writeJson} writes: the UTF-8 length of {@link #json()}. */
  public int jsonLength() {
    return SEQ_PREFIX.length + Ascii.digits(seq) + body.tail.length;
  }

  /**
   * Writes {@link #json()} as UTF-8 at {@code into[at]}, from the body's shared encoding.
   *
   * @return the index after the last byte written
   */
  public int writeJson(byte[] into, int at) {
    at = Ascii.put(into, at, SEQ_PREFIX);
    at = Ascii.putNumber(into, at, seq);
    return Ascii.put(into, at, body.tail);
  }

  @Override
  public String toString() {
    return (body.topic == null ? "" : body.topic + "/") + seq + ":" + body.data();
  }

  /**
   * What a sender sent, as stored: the JSON after the sequence number, encoded once as UTF-8 when
   * the message is accepted and shared by every log and answer that carries it, when it was
   * accepted, and when it leaves. The text itself is kept only in that encoding, so what a message
   * costs is what {@link #retained} says. Immutable but for its count of logs holding it.
   *
   * <p>A body enters logs through {@link #admit}, which charges the memory budget for the body
   * and one entry per log; each log gives its share back as the message leaves it, and the last
   * gives back the body.
   */
  public static final class Body {

    private static final AtomicIntegerFieldUpdater<Body> HOLDERS =
        AtomicIntegerFieldUpdater.newUpdater(Body.class, "holders");
    private static final byte[] DATA = Ascii.bytes(",\"data\":\"");
    private static final byte[] TS = Ascii.bytes("\",\"ts\":");
    private static final byte[] TOPIC = Ascii.bytes(",\"topic\":\"");
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] tail;
    private final long ts;
    private final long expiresAt;
    private final String topic;
    private volatile int holders;
    private volatile MemoryBudget budget;

    /**
     * @param data the message text, valid UTF-16 (the send checked it)
     * @param ts when the relay accepted it, epoch milliseconds
     * @param expiresAt when it leaves its logs, epoch milliseconds
     * @param topic the id of the topic it was published to, or {@code null} for a channel's own message
     */
    public Body(String data, long ts, long expiresAt, String topic) {
      this.ts = ts;
      this.expiresAt = expiresAt;
      this.topic = topic;
      this.tail = encode(data, ts, topic);
    }

    /** {@code ,"data":"…","ts":…[,"topic":"…"]}} as UTF-8. */
    private static byte[] encode(String data, long ts, String topic) {
      int length = DATA.length + JsonText.length(data) + TS.length + Ascii.digits(ts)
          + (topic == null ? 0 : TOPIC.length + topic.length() + 1) + 1;
      byte[] out = new byte[length];
      int at = Ascii.put(out, 0, DATA);
      at = JsonText.write(data, out, at);
      at = Ascii.put(out, at, TS);
      at = Ascii.putNumber(out, at, ts);
      if (topic != null) {
        at = Ascii.put(out, at, TOPIC);
        at = Ascii.put(out, at, topic); // ids are [A-Za-z0-9_-]
        out[at++] = '"';
      }
      out[at] = '}';
      return out;
    }

    public long expiresAt() {
      return expiresAt;
    }

    /** Bytes of heap this body keeps, whatever number of logs hold it. */
    public long retained() {
      return MemoryBudget.MESSAGE_BODY + tail.length;
    }

    /**
     * Charges {@code budget} for this body in {@code logs} logs, which must each then
     * {@link Inbox#append(Body) append} it once.
     *
     * @throws MemoryFullException if the budget has no room; nothing is charged then
     */
    public Body admit(MemoryBudget budget, int logs) {
      if (holders != 0 || this.budget != null) {
        throw new IllegalStateException("a body is admitted once");
      }
      if (!budget.tryReserve(retained() + (long) logs * MemoryBudget.MESSAGE_ENTRY)) {
        throw new MemoryFullException("a message of " + tail.length + " stored bytes", budget.limit());
      }
      this.budget = budget;
      this.holders = logs;
      return this;
    }

    /** A log let go of this body: the last one gives its bytes back to the budget. */
    void leave() {
      MemoryBudget charged = budget;
      if (charged == null) {
        return; // never admitted: a body made by a test or a tool
      }
      charged.release(MemoryBudget.MESSAGE_ENTRY);
      if (HOLDERS.decrementAndGet(this) == 0) {
        charged.release(retained());
      }
    }

    String data() {
      try (JsonParser parser = JSON.createParser("{" + new String(tail, 1, tail.length - 1, StandardCharsets.UTF_8))) {
        while (parser.nextToken() != null) {
          if (parser.currentToken() == JsonToken.FIELD_NAME && "data".equals(parser.currentName())) {
            parser.nextToken();
            return parser.getText();
          }
        }
        throw new IllegalStateException("no data in a stored message");
      } catch (IOException e) {
        throw new IllegalStateException("a stored message does not parse", e);
      }
    }
  }
}
