package dev.addressable.relay.send;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.topic.Topics;
import java.util.List;

/**
 * What a send did.
 *
 * @param seq the message's sequence number in its log (0 for a client-wide send)
 * @param delivered receivers waiting for it, answered with it at once (for a topic: subscribers
 *     listening now); 0 means it waits for the next poll
 * @param channels per channel, for channel and client-wide sends
 * @param targets the channels written to, for receipts
 * @param published for a topic publish, what the topic did; else {@code null}
 * @param toWake the channels whose waiting receivers {@link #wake} answers; empty if they are
 *     answered already (a topic) or on their way (a send to many tabs)
 */
public record Delivery(long seq, int delivered, List<ChannelDelivery> channels, List<Channel> targets,
    Topics.Published published, List<Channel> toWake) {

  public record ChannelDelivery(String channel, long seq, int delivered) {}

  /**
   * Answers the receivers waiting for this message. The sender calls it once, after answering
   * its own request: that answer then leaves before the receivers' (see {@link Dispatcher#toChannel}).
   */
  public void wake() {
    for (int i = 0; i < toWake.size(); i++) {
      toWake.get(i).feed().wake();
    }
  }
}
