package dev.addressable.relay.inbox;

/**
 * One message in an inbox. Immutable.
 *
 * @param seq position in its inbox, from 1, without gaps at append time
 * @param data the message text, as the sender gave it
 * @param ts when the relay accepted it, epoch milliseconds
 * @param expiresAt when it leaves the inbox, epoch milliseconds
 * @param bytes UTF-8 size of {@code data}, counted once at send
 */
public record Message(long seq, String data, long ts, long expiresAt, int bytes) {

  boolean expiredAt(long now) {
    return now >= expiresAt;
  }
}
