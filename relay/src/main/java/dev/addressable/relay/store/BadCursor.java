package dev.addressable.relay.store;

/**
 * A cursor of the log's own epoch but ahead of it: it was not handed out there. Answered as 400
 * {@code bad_cursor}. (A cursor of another epoch is no failure: it reads with {@code missed}.)
 */
public final class BadCursor extends IllegalArgumentException {

  public BadCursor(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // a refusal, not a fault: no trace to take
  }
}
