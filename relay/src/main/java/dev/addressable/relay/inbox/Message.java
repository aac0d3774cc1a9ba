package dev.addressable.relay.inbox;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One message in a log (a channel's inbox or a topic's). Immutable; its JSON form is made once,
 * on first use, and shared by every answer that carries it — a publish to 10,000 subscribers is
 * encoded once, not 10,000 times.
 */
public final class Message {

  private final long seq;
  private final String data;
  private final long ts;
  private final long expiresAt;
  private final int bytes;
  private final String topic;
  private volatile String json;

  /**
   * @param seq position in its log, from 1, without gaps at append time
   * @param data the message text, as the sender gave it
   * @param ts when the relay accepted it, epoch milliseconds
   * @param expiresAt when it leaves the log, epoch milliseconds
   * @param bytes UTF-8 size of {@code data}, counted once at send
   * @param topic the topic it was published to, or {@code null} for a channel's own message
   */
  public Message(long seq, String data, long ts, long expiresAt, int bytes, String topic) {
    this.seq = seq;
    this.data = data;
    this.ts = ts;
    this.expiresAt = expiresAt;
    this.bytes = bytes;
    this.topic = topic;
  }

  public long seq() {
    return seq;
  }

  public String data() {
    return data;
  }

  public long ts() {
    return ts;
  }

  public long expiresAt() {
    return expiresAt;
  }

  public int bytes() {
    return bytes;
  }

  /** The topic, or {@code null}. */
  public String topic() {
    return topic;
  }

  boolean expiredAt(long now) {
    return now >= expiresAt;
  }

  /** {@code {"seq":…,"data":"…","ts":…[,"topic":"…"]}}, made once. */
  public String json() {
    String j = json;
    if (j == null) {
      StringBuilder out = new StringBuilder(data.length() + 64).append("{\"seq\":").append(seq).append(",\"data\":\"");
      JsonStringEncoder.getInstance().quoteAsString(data, out);
      out.append("\",\"ts\":").append(ts);
      if (topic != null) {
        out.append(",\"topic\":\"").append(topic).append('"');
      }
      json = j = out.append('}').toString();
    }
    return j;
  }

  @Override
  public String toString() {
    return (topic == null ? "" : topic + "/") + seq + ":" + data;
  }
}
