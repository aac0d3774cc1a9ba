package dev.addressable.relay.feed;

/** A channel already follows its limit of topics; answered as 429 {@code too_many_topics}. */
public final class TooManyTopicsException extends RuntimeException {
  public TooManyTopicsException(int limit) {
    super("this channel already follows " + limit + " topics; unsubscribe from one first", null, false, false);
  }
}
