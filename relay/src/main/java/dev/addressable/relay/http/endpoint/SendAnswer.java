package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.text.Ascii;

/**
 * The answer to a send, the one encoder of it for every form (JSON, JSONP, {@code wait=}, a
 * WebSocket's reply), written as UTF-8 straight into the array it is sent from:
 *
 * <ul>
 *   <li>a channel: {@code {"seq","delivered"}}
 *   <li>a client's every channel: {@code {"delivered","channels":[{"channel","seq","delivered"},…]}},
 *       with no map per entry and no JSON writer, though a client may have thousands of tabs
 *   <li>a topic: {@code {"seq","delivered","subscribers"}}
 * </ul>
 *
 * then {@code "dup":true} when the send's {@code mid} was stored before (nothing stored now; the
 * first send's positions), {@code "received"} when the send waited for a receipt, and
 * {@code "status"} for JSONP.
 * Channel names are {@code [A-Za-z0-9_-]} ({@link dev.addressable.relay.address.Ids#isChannelName}):
 * nothing to escape.
 */
final class SendAnswer implements Answer.Utf8 {

  private static final byte[] SEQ = Ascii.bytes("{\"seq\":");
  private static final byte[] DELIVERED = Ascii.bytes(",\"delivered\":");
  private static final byte[] FIRST_DELIVERED = Ascii.bytes("{\"delivered\":");
  private static final byte[] SUBSCRIBERS = Ascii.bytes(",\"subscribers\":");
  private static final byte[] CHANNELS = Ascii.bytes(",\"channels\":[");
  private static final byte[] CHANNEL = Ascii.bytes("{\"channel\":\"");
  private static final byte[] CHANNEL_SEQ = Ascii.bytes("\",\"seq\":");
  private static final byte[] DUP = Ascii.bytes(",\"dup\":true");
  private static final byte[] RECEIVED = Ascii.bytes(",\"received\":");
  private static final byte[] STATUS = Ascii.bytes(",\"status\":");
  private static final byte[] TRUE = Ascii.bytes("true");
  private static final byte[] FALSE = Ascii.bytes("false");

  private final Delivery delivery;
  private final Kind kind;
  private final Boolean received;
  private final int status;
  private final int length;

  enum Kind { CHANNEL, CLIENT, TOPIC }

  /**
   * @param received whether a receiver confirmed it in time, or {@code null} if the send did not wait
   * @param status the status to state in the body (JSONP), or 0 for none
   */
  SendAnswer(Delivery delivery, Kind kind, Boolean received, int status) {
    this.delivery = delivery;
    this.kind = kind;
    this.received = received;
    this.status = status;
    int n = kind == Kind.CLIENT
        ? FIRST_DELIVERED.length + Ascii.digits(delivery.delivered()) + channelsLength()
        : SEQ.length + Ascii.digits(delivery.position().seq()) + DELIVERED.length + Ascii.digits(delivery.delivered());
    if (kind == Kind.TOPIC) {
      n += SUBSCRIBERS.length + Ascii.digits(delivery.subscribers());
    }
    if (delivery.duplicate()) {
      n += DUP.length;
    }
    if (received != null) {
      n += RECEIVED.length + (received ? TRUE.length : FALSE.length);
    }
    if (status != 0) {
      n += STATUS.length + Ascii.digits(status);
    }
    this.length = n + 1;
  }

  /** This answer, confirmed or not by a receiver in time. */
  SendAnswer received(boolean confirmed) {
    return new SendAnswer(delivery, kind, confirmed, status);
  }

  private int channelsLength() {
    int n = CHANNELS.length + Math.max(0, delivery.channels().size() - 1) + 1;
    for (Delivery.ChannelDelivery each : delivery.channels()) {
      n += CHANNEL.length + each.channel().name().length() + CHANNEL_SEQ.length + Ascii.digits(each.position().seq())
          + DELIVERED.length + Ascii.digits(each.delivered()) + 1;
    }
    return n;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void writeTo(byte[] into, int at) {
    if (kind == Kind.CLIENT) {
      at = Ascii.put(into, at, FIRST_DELIVERED);
      at = Ascii.putNumber(into, at, delivery.delivered());
      at = writeChannels(into, at);
    } else {
      at = Ascii.put(into, at, SEQ);
      at = Ascii.putNumber(into, at, delivery.position().seq());
      at = Ascii.put(into, at, DELIVERED);
      at = Ascii.putNumber(into, at, delivery.delivered());
      if (kind == Kind.TOPIC) {
        at = Ascii.put(into, at, SUBSCRIBERS);
        at = Ascii.putNumber(into, at, delivery.subscribers());
      }
    }
    if (delivery.duplicate()) {
      at = Ascii.put(into, at, DUP);
    }
    if (received != null) {
      at = Ascii.put(into, at, RECEIVED);
      at = Ascii.put(into, at, received ? TRUE : FALSE);
    }
    if (status != 0) {
      at = Ascii.put(into, at, STATUS);
      at = Ascii.putNumber(into, at, status);
    }
    into[at] = '}';
  }

  private int writeChannels(byte[] into, int at) {
    at = Ascii.put(into, at, CHANNELS);
    for (int i = 0; i < delivery.channels().size(); i++) {
      Delivery.ChannelDelivery each = delivery.channels().get(i);
      if (i > 0) {
        into[at++] = ',';
      }
      at = Ascii.put(into, at, CHANNEL);
      at = Ascii.put(into, at, each.channel().name());
      at = Ascii.put(into, at, CHANNEL_SEQ);
      at = Ascii.putNumber(into, at, each.position().seq());
      at = Ascii.put(into, at, DELIVERED);
      at = Ascii.putNumber(into, at, each.delivered());
      into[at++] = '}';
    }
    into[at++] = ']';
    return at;
  }
}
