package dev.addressable.relay.store;

/**
 * The store has more of this relay's work waiting than it may queue (a shared store that takes
 * commands more slowly than they come). Nothing was sent; the same call may succeed in a moment.
 * Answered as 503 {@code overloaded} with a {@code Retry-After}.
 */
public final class StoreBusy extends RuntimeException {

  public StoreBusy(String message) {
    super(message, null, false, false);
  }
}
