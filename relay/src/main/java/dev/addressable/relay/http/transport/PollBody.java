package dev.addressable.relay.http.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.text.Ascii;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A poll's answer, {@code {"cursor","messages":[…][,"missed":true][,"unsubscribed":[…]][,"interval":ms][,"status":200]}},
 * written as UTF-8 straight from each message's shared encoding into the array the answer is sent
 * from: a fan-out to thousands of receivers makes no string per receiver. The one encoder of a
 * poll's answer, plain and JSONP ({@code "status"} is for script tags, which cannot read it).
 * {@code "interval"} asks the receiver to wait that many milliseconds before it polls again (its
 * client holds {@code --max-polls-per-client} polls and streams already).
 */
final class PollBody implements Answer.Utf8 {

  private static final byte[] CURSOR = Ascii.bytes("{\"cursor\":\"");
  private static final byte[] MESSAGES = Ascii.bytes("\",\"messages\":[");
  private static final byte[] MISSED = Ascii.bytes(",\"missed\":true");
  private static final byte[] STATUS = Ascii.bytes(",\"status\":200");
  private static final byte[] EMPTY = new byte[0];

  private final byte[] cursor;
  private final List<Message> messages;
  private final boolean missed;
  private final byte[] unsubscribed;
  private final byte[] interval;
  private final byte[] status;
  private final int length;

  PollBody(Batch batch, boolean withStatus) {
    this(batch, withStatus, 0);
  }

  /** @param intervalMillis the wait to ask for before the next poll, or 0 for none */
  PollBody(Batch batch, boolean withStatus, int intervalMillis) {
    this.cursor = batch.cursor().toString().getBytes(StandardCharsets.UTF_8);
    this.messages = batch.messages();
    this.missed = batch.missed();
    this.unsubscribed = batch.unsubscribed().isEmpty() ? EMPTY : Ascii.bytes(Frames.unsubscribedField(batch.unsubscribed()));
    this.interval = interval(intervalMillis);
    this.status = withStatus ? STATUS : EMPTY;
    int n = CURSOR.length + cursor.length + MESSAGES.length + Math.max(0, messages.size() - 1) + 1
        + (missed ? MISSED.length : 0) + unsubscribed.length + interval.length + status.length + 1;
    for (Message message : messages) {
      n += message.jsonLength();
    }
    this.length = n;
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
    at = Ascii.put(into, at, interval);
    at = Ascii.put(into, at, status);
    into[at] = '}';
  }

  /** {@code ,"interval":ms} for a wait of {@code millis}, or nothing for 0. */
  static byte[] interval(int millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("interval < 0: " + millis);
    }
    return millis == 0 ? EMPTY : Ascii.bytes(",\"interval\":" + millis);
  }
}
