package dev.addressable.relay.address;

/** A channel could not be opened because a configured limit is reached. */
public final class TooManyChannelsException extends RuntimeException {

  private final boolean relayWide;

  TooManyChannelsException(String message, boolean relayWide) {
    super(message, null, false, false);
    this.relayWide = relayWide;
  }

  /** Whether the relay as a whole is full (503), rather than this one client (429). */
  public boolean relayWide() {
    return relayWide;
  }
}
