package dev.addressable.relay.parking;

/** The relay is at a configured capacity limit; answered as 503 {@code overloaded}. */
public final class OverloadedException extends RuntimeException {
  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
