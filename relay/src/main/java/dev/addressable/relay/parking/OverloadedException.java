package dev.addressable.relay.parking;

/**
 * The relay is at a configured capacity limit, or shutting down; answered as 503 {@code overloaded}
 * (or {@code shutting_down}) with a {@code Retry-After}.
 */
public final class OverloadedException extends RuntimeException {

  private final boolean shuttingDown;

  public OverloadedException(String message) {
    this(message, false);
  }

  private OverloadedException(String message, boolean shuttingDown) {
    super(message, null, false, false);
    this.shuttingDown = shuttingDown;
  }

  /** The relay is stopping: come back in a moment, to whichever relay answers then. */
  public static OverloadedException shuttingDown() {
    return new OverloadedException("the relay is shutting down; reconnect in a moment", true);
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }
}
