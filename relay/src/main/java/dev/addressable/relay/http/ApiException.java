package dev.addressable.relay.http;

/**
 * A request the relay refuses, answered as the protocol's JSON error
 * {@code {"error":code,"message":text}} with {@code status}. The message is for a person: it says
 * what was wrong and what is allowed, and never holds a key.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final String retryAfterSeconds;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  private ApiException(int status, String code, String message, String retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  /** A 429 or 503 that tells the caller when to come back. */
  public static ApiException retryLater(int status, String code, String message, int seconds) {
    return new ApiException(status, code, message, Integer.toString(seconds));
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
}
