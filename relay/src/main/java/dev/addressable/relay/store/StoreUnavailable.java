package dev.addressable.relay.store;

/**
 * The store could not be reached in time, or refused to work (a lost connection, a timeout, a
 * replica that cannot write). Answered as 503 {@code store_unavailable} with a {@code Retry-After}.
 * The memory store never fails so.
 */
public final class StoreUnavailable extends RuntimeException {

  private final boolean outcomeKnown;

  /**
   * @param outcomeKnown whether the operation certainly did not happen; {@code false} when it may
   *     have (a send that timed out may have been stored: the sender is told the outcome is unknown)
   */
  public StoreUnavailable(String message, boolean outcomeKnown) {
    super(message, null, false, false);
    this.outcomeKnown = outcomeKnown;
  }

  public boolean outcomeKnown() {
    return outcomeKnown;
  }
}
