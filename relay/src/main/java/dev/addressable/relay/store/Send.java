package dev.addressable.relay.store;

/**
 * One message to store, as the sender gave it, checked (size, valid text, {@code ttl}).
 *
 * @param data the message text
 * @param ttlMillis how long to keep it; 0, or more than the store's age limit, means that limit
 * @param mid the sender's id for this message, so that a retry is stored once; {@code null} for
 *     none (the wire does not carry one yet, and the memory store ignores it)
 */
public record Send(String data, long ttlMillis, String mid) {

  public Send {
    if (data == null) {
      throw new IllegalArgumentException("a send needs its message");
    }
    if (ttlMillis < 0) {
      throw new IllegalArgumentException("ttlMillis < 0: " + ttlMillis);
    }
  }

  public Send(String data, long ttlMillis) {
    this(data, ttlMillis, null);
  }
}
