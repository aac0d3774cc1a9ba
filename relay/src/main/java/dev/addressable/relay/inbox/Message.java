package dev.addressable.relay.inbox;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.addressable.relay.text.Ascii;
import java.nio.charset.StandardCharsets;

/**
 * One message in a log (a channel's inbox or a topic's): its sequence number there, and a
 * {@link Body} that may be shared. Immutable.
 *
 * <p>A send to a client-wide address puts the same body into every inbox of the client, so
 * 10,000 tabs cost 10,000 of these small objects, one body and one JSON encoding of the text,
 * instead of 10,000 copies of each (docs/BENCHMARKS.md has what that did to fan-out).
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

  public String data() {
    return body.data;
  }

  public long ts() {
    return body.ts;
  }

  public long expiresAt() {
    return body.expiresAt;
  }

  public int bytes() {
    return body.bytes;
  }

  /** The topic, or {@code null}. */
  public String topic() {
    return body.topic;
  }

  boolean expiredAt(long now) {
    return now >= body.expiresAt;
  }

  /** {@code {"seq":…,"data":"…","ts":…[,"topic":"…"]}}. */
  public String json() {
    return appendJson(new StringBuilder(body.tail().length() + 24)).toString();
  }

  /** Appends {@link #json()} to {@code out}, without making it as a string first. */
  public StringBuilder appendJson(StringBuilder out) {
    return out.append("{\"seq\":").append(seq).append(body.tail());
  }

  /** How many bytes {@link #writeJson} writes: the UTF-8 length of {@link #json()}. */
  public int jsonLength() {
    return SEQ_PREFIX.length + Ascii.digits(seq) + body.tailUtf8().length;
  }

  /**
   * Writes {@link #json()} as UTF-8 at {@code into[at]}, from the body's shared encoding.
   *
   * @return the index after the last byte written
   */
  public int writeJson(byte[] into, int at) {
    at = Ascii.put(into, at, SEQ_PREFIX);
    at = Ascii.putNumber(into, at, seq);
    return Ascii.put(into, at, body.tailUtf8());
  }

  @Override
  public String toString() {
    return (body.topic == null ? "" : body.topic + "/") + seq + ":" + body.data;
  }

  /**
   * What a sender sent, as stored: the text, when it was accepted, when it leaves, and the JSON
   * after the sequence number, made once on first use and shared by every log and answer that
   * carries it. Immutable.
   */
  public static final class Body {

    private final String data;
    private final long ts;
    private final long expiresAt;
    private final int bytes;
    private final String topic;
    private volatile String tail;
    private volatile byte[] tailUtf8;

    /**
     * @param data the message text, as the sender gave it
     * @param ts when the relay accepted it, epoch milliseconds
     * @param expiresAt when it leaves its logs, epoch milliseconds
     * @param bytes UTF-8 size of {@code data}, counted once at send
     * @param topic the topic it was published to, or {@code null} for a channel's own message
     */
    public Body(String data, long ts, long expiresAt, int bytes, String topic) {
      this.data = data;
      this.ts = ts;
      this.expiresAt = expiresAt;
      this.bytes = bytes;
      this.topic = topic;
    }

    public long expiresAt() {
      return expiresAt;
    }

    /** {@code ,"data":"…","ts":…[,"topic":"…"]}}: the JSON of a message after its sequence number. */
    String tail() {
      String t = tail;
      if (t == null) {
        tail = t = makeTail(); // a race makes it twice, equal: harmless
      }
      return t;
    }

    /**
     * {@link #tail()} as UTF-8, made on first use apart from the string: a relay whose receivers
     * all long-poll keeps only this one.
     */
    byte[] tailUtf8() {
      byte[] t = tailUtf8;
      if (t == null) {
        String text = tail;
        tailUtf8 = t = (text != null ? text : makeTail()).getBytes(StandardCharsets.UTF_8);
      }
      return t;
    }

    private String makeTail() {
      StringBuilder out = new StringBuilder(data.length() + 48).append(",\"data\":\"");
      JsonStringEncoder.getInstance().quoteAsString(data, out);
      out.append("\",\"ts\":").append(ts);
      if (topic != null) {
        out.append(",\"topic\":\"").append(topic).append('"');
      }
      return out.append('}').toString();
    }
  }
}
