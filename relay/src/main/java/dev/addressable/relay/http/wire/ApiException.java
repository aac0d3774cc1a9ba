package dev.addressable.relay.http.wire;

import dev.addressable.relay.address.TooManyChannelsException;
import dev.addressable.relay.feed.TooManyTopicsException;
import dev.addressable.relay.hub.StaleTermException;
import dev.addressable.relay.hub.SupersededException;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.store.BadCursor;
import dev.addressable.relay.store.StoreBusy;
import dev.addressable.relay.store.StoreFull;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.TooManyClientPollsException;
import dev.addressable.relay.transport.TooManyWaitersException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request the relay refuses, answered as the protocol's JSON error
 * {@code {"error":code,"message":text}} with {@code status}. The message is for a person: it says
 * what was wrong and what is allowed, and never holds a key.
 */
public final class ApiException extends RuntimeException {

  private static final Logger LOG = LoggerFactory.getLogger(ApiException.class);

  private final int status;
  private final String code;
  private final String retryAfterSeconds;
  private final String allow;
  private final boolean outcomeUnknown;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, null, false);
  }

  private ApiException(int status, String code, String message, String retryAfterSeconds, String allow,
      boolean outcomeUnknown) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.allow = allow;
    this.outcomeUnknown = outcomeUnknown;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  /** A 429 or 503 that tells the caller when to come back. */
  static ApiException retryLater(int status, String code, String message, int seconds) {
    return new ApiException(status, code, message, Integer.toString(seconds), null, false);
  }

  /**
   * A 503 whose {@code Retry-After} is spread over {@code from}–{@code to} seconds, so that the
   * thousands of tabs a restart or a full relay turns away do not all come back in the same second.
   */
  public static ApiException retrySpread(String code, String message, int from, int to) {
    return retryLater(503, code, message, ThreadLocalRandom.current().nextInt(from, to + 1));
  }

  /** 405, naming the methods the path takes. */
  public static ApiException methodNotAllowed(String allowed) {
    return new ApiException(405, "method_not_allowed", "this path takes " + allowed.replace(", ", " or "), null,
        allowed, false);
  }

  /** 405 with its own explanation, naming in {@code Allow} the methods that work here as asked. */
  public static ApiException methodNotAllowed(String allowed, String message) {
    return new ApiException(405, "method_not_allowed", message, null, allowed, false);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The {@code Retry-After} header value, or {@code null}. */
  public String retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * Whether the request may have done what it asked although it failed (a send that timed out on
   * its way to a shared store may be stored): its answer says {@code "outcome":"unknown"}.
   */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /** The {@code Allow} header value of a 405, or {@code null}. */
  String allow() {
    return allow;
  }

  /**
   * The protocol error for a failure of the core: capacity limits become 429 or 503, a malformed
   * request 400, a store that cannot be reached or is full 503, anything else a logged 500 whose answer holds no detail. A fatal error
   * ({@link Fatal#isFatal}) ends the process instead.
   */
  public static ApiException of(Throwable failure) {
    Fatal.exitIfFatal(failure);
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof BadCursor) {
      return badRequest("bad_cursor", failure.getMessage());
    }
    if (failure instanceof StoreUnavailable unavailable) {
      return new ApiException(503, "store_unavailable", "the relay cannot reach its store just now; try again shortly",
          Integer.toString(ThreadLocalRandom.current().nextInt(1, 6)), null, !unavailable.outcomeKnown());
    }
    if (failure instanceof StoreFull) {
      return retrySpread("overloaded", "the relay's store is full; try again shortly", 2, 6);
    }
    if (failure instanceof StoreBusy) {
      return retrySpread("overloaded", "the relay's store is busy; try again shortly", 1, 4);
    }
    if (failure instanceof MemoryFullException) {
      return retrySpread("memory_full", failure.getMessage(), 1, 5);
    }
    if (failure instanceof TooManyWaitersException) {
      return retryLater(429, "too_many_polls", failure.getMessage(), 1);
    }
    if (failure instanceof TooManyClientPollsException) {
      return retryLater(429, "too_many_polls", failure.getMessage(), ClientPolls.INTERVAL_MILLIS / 1000);
    }
    if (failure instanceof TooManyTopicsException) {
      return new ApiException(429, "too_many_topics", failure.getMessage());
    }
    if (failure instanceof TooManyChannelsException channels) {
      return channels.relayWide()
          ? retrySpread("overloaded", failure.getMessage(), 2, 6)
          : retryLater(429, "too_many_channels", failure.getMessage(), 30);
    }
    if (failure instanceof StaleTermException) {
      return new ApiException(409, "stale_term", failure.getMessage());
    }
    if (failure instanceof SupersededException) {
      return new ApiException(409, "superseded", failure.getMessage());
    }
    if (failure instanceof OverloadedException overloaded) {
      return overloaded.isShuttingDown()
          ? retrySpread("shutting_down", failure.getMessage(), 1, 5)
          : retrySpread("overloaded", failure.getMessage(), 2, 6);
    }
    LOG.error("unexpected failure", failure);
    return new ApiException(500, "internal_error", ErrorCodes.message(500));
  }
}
