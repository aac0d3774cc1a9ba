package dev.addressable.relay.cluster;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;

/**
 * Redis could not be used for a call: the gate is closed, the connection is down or the command
 * queue full, Redis did not answer in time, or it refused writes (a replica, loading). A failure
 * as a value, for the store to turn into {@code 503 store_unavailable}; never a bug.
 *
 * <p>{@link #outcomeKnown} tells a sender whether the call certainly did not run (nothing was sent,
 * or Redis refused it before running it) or may have run (it timed out, or the connection dropped
 * while it was on its way): then the answer is {@code "outcome":"unknown"} and a retry should
 * carry the same {@code mid}.
 */
public final class RedisUnavailableException extends RuntimeException {

  private final boolean outcomeKnown;

  RedisUnavailableException(String message, boolean outcomeKnown, Throwable cause) {
    super(message, cause);
    this.outcomeKnown = outcomeKnown;
  }

  /** Whether the call certainly did not run. */
  public boolean outcomeKnown() {
    return outcomeKnown;
  }

  /** Refused here, before anything was sent, because the gate is closed. */
  static RedisUnavailableException gateClosed(String reason) {
    return new RedisUnavailableException("Redis is not ready: " + reason, true, null);
  }

  /**
   * {@code failure} as this exception if it says Redis was unavailable, else {@code failure}
   * itself (a script's own error, a wrong type: bugs and data, not availability).
   */
  static Throwable classify(Throwable failure) {
    Throwable t = Handoff.unwrap(failure);
    if (t instanceof RedisUnavailableException) {
      return t;
    }
    if (t instanceof RedisCommandTimeoutException) {
      return new RedisUnavailableException("Redis did not answer in time", false, t);
    }
    if (t instanceof RedisReadOnlyException || t instanceof RedisLoadingException
        || String.valueOf(t.getMessage()).startsWith("MASTERDOWN")) {
      return new RedisUnavailableException("Redis refused the call: " + firstWord(t), true, t);
    }
    String message = String.valueOf(t.getMessage());
    if (t instanceof RedisException && message.startsWith("Request queue size exceeded")) {
      return new RedisUnavailableException("too many calls waiting for Redis", true, t);
    }
    if (t instanceof RedisException && !(t instanceof io.lettuce.core.RedisCommandExecutionException)
        || t instanceof java.io.IOException) {
      // Not connected, or the connection dropped: a command already written may have run.
      return new RedisUnavailableException("the connection to Redis is down", false, t);
    }
    return t;
  }

  private static String firstWord(Throwable t) {
    String message = String.valueOf(t.getMessage());
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }
}
