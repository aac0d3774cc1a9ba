package dev.addressable.relay.store;

/**
 * Whether a channel (or any channel of a client) has a receiver.
 *
 * @param online a receiver holds it now, or held it within the grace period
 * @param lastSeen when a receiver was last there, epoch milliseconds (now while one is there);
 *     {@code null} if no channel is live
 */
public record Presence(boolean online, Long lastSeen) {

  public static final Presence NOBODY = new Presence(false, null);
}
