package dev.addressable.relay.send;

import java.util.List;

/**
 * What a send did.
 *
 * @param seq the message's sequence number in its inbox (0 for a client-wide send)
 * @param delivered receivers answered with it at once; 0 means it waits for the next poll
 * @param channels per channel, for a client-wide send; empty for a channel send
 */
public record Delivery(long seq, int delivered, List<ChannelDelivery> channels) {

  public record ChannelDelivery(String channel, long seq, int delivered) {}
}
