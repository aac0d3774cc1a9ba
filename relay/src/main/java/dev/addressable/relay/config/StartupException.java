package dev.addressable.relay.config;

/**
 * The relay cannot start, for a reason its operator must fix: the port is taken, the shared Redis
 * belongs to relays with another secret, Redis cannot be reached. The message says what was wrong
 * and what would fix it, and holds no secret (a Redis URL in it has its password masked);
 * {@code Main} prints it without a stack trace and exits with status 1. Thrown by
 * {@code Relay.start} after it has released what it had taken.
 */
public final class StartupException extends RuntimeException {

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
