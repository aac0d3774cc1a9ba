package dev.addressable.relay.send;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.topic.Topics;
import java.util.List;

/**
 * What a send did.
 *
 * @param seq the message's sequence number in its log (0 for a client-wide send)
 * @param delivered receivers answered with it at once (for a topic: subscribers listening now);
 *     0 means it waits for the next poll
 * @param channels per channel, for channel and client-wide sends
 * @param targets the channels written to, for receipts
 * @param published for a topic publish, what the topic did; else {@code null}
 */
public record Delivery(long seq, int delivered, List<ChannelDelivery> channels, List<Channel> targets,
    Topics.Published published) {

  public record ChannelDelivery(String channel, long seq, int delivered) {}
}
