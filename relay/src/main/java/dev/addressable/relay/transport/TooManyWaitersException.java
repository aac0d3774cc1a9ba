package dev.addressable.relay.transport;

/** A channel already holds its limit of parked receivers; answered as 429 {@code too_many_polls}. */
public final class TooManyWaitersException extends RuntimeException {
  public TooManyWaitersException(int limit) {
    super("this channel already has " + limit + " waiting receivers; wait for one to return", null, false, false);
  }
}
