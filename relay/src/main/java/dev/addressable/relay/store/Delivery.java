package dev.addressable.relay.store;

import dev.addressable.relay.inbox.Cursor;
import java.util.List;

/**
 * What a send stored, and whom it reached.
 *
 * @param position where the message sits in its log (a channel's inbox, a topic's); {@code null}
 *     for a client-wide send, which stored one message per channel ({@link #channels})
 * @param delivered receivers it reached when it was stored: answered at once, or for a topic and
 *     a client of many tabs, waiting then and answered right after; 0 means it waits for the
 *     next poll
 * @param channels per channel, for channel and client-wide sends; empty for a topic
 * @param subscribers for a topic, the channels following it; else 0
 * @param duplicate whether this send's {@code mid} was stored before, within the window: then
 *     nothing was stored now, the positions are the first send's and {@code delivered} is 0
 */
public record Delivery(Cursor position, int delivered, List<ChannelDelivery> channels, int subscribers,
    boolean duplicate) {

  /** What a send stored now (not a duplicate). */
  public Delivery(Cursor position, int delivered, List<ChannelDelivery> channels, int subscribers) {
    this(position, delivered, channels, subscribers, false);
  }

  /** The answer to a retry of the send that stored this: the same positions, nobody reached now. */
  public Delivery asDuplicate() {
    List<ChannelDelivery> same = channels.stream().map(c -> new ChannelDelivery(c.channel(), c.position(), 0)).toList();
    return new Delivery(position, 0, same, subscribers, true);
  }

  /** One channel's copy of a message: where it sits in that channel's inbox, and whom it reached there. */
  public record ChannelDelivery(ChannelId channel, Cursor position, int delivered) {}
}
