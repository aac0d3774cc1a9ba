package dev.addressable.relay.address;

/** A channel could not be opened because a configured limit is reached. */
public final class TooManyChannelsException extends RuntimeException {

  private final boolean relayWide;

  TooManyChannelsException(String message, boolean relayWide) {
    super(message, null, false, false);
    this.relayWide = relayWide;
  }

  /**
   * A client at its limit of live channels, as a shared store finds it ({@code message} says how
   * many it has): answered 429, as the memory store's refusal is.
   */
  public static TooManyChannelsException perClient(String message) {
    return new TooManyChannelsException(message, false);
  }

  /** Whether the relay as a whole is full (503), rather than this one client (429). */
  public boolean relayWide() {
    return relayWide;
  }
}
