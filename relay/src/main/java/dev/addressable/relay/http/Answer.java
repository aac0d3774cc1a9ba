package dev.addressable.relay.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * One whole answer, before any server writes it: status, content type, body and an optional
 * {@code Retry-After}. Both request paths (the Javalin routes and the {@link HotRoutes}) build
 * answers here, so an answer looks the same whichever path served it.
 *
 * <p>With a JSONP {@code callback} every answer, errors included, is a 200 script whose object
 * carries {@code "status"}, so a script tag can tell success from failure.
 */
final class Answer {

  /**
   * A body that writes its UTF-8 bytes straight into a larger array, so that a poll's answer is
   * encoded once, into the array that carries its head too, with no string made first.
   */
  interface Utf8 {
    /** How many bytes {@link #writeTo} writes. */
    int length();

    /** Writes {@link #length()} bytes at {@code into[at]}. */
    void writeTo(byte[] into, int at);
  }

  static final String JSON_TYPE = "application/json;charset=utf-8"; // as the servlet path writes it

  /** The headers every answer carries, as name and value. */
  static final List<Map.Entry<String, String>> COMMON_HEADERS = List.of(
      Map.entry("Access-Control-Allow-Origin", "*"),
      Map.entry("Access-Control-Expose-Headers", "Retry-After"),
      Map.entry("Referrer-Policy", "no-referrer"),
      Map.entry("X-Content-Type-Options", "nosniff"),
      Map.entry("Cache-Control", "no-store"));

  private final int status;
  private final String contentType;
  private final String text;
  private final Utf8 utf8;
  private final String retryAfter;

  /**
   * @param retryAfter the {@code Retry-After} value, or {@code null}
   */
  Answer(int status, String contentType, String body, String retryAfter) {
    this(status, contentType, body, null, retryAfter);
  }

  private Answer(int status, String contentType, String text, Utf8 utf8, String retryAfter) {
    this.status = status;
    this.contentType = contentType;
    this.text = text;
    this.utf8 = utf8;
    this.retryAfter = retryAfter;
  }

  /** A JSON answer whose body writes itself as UTF-8. */
  static Answer json(int status, Utf8 body) {
    return new Answer(status, JSON_TYPE, null, body, null);
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  /** The {@code Retry-After} value, or {@code null}. */
  String retryAfter() {
    return retryAfter;
  }

  /** The body as text. */
  String body() {
    return text != null ? text : new String(bytes(), StandardCharsets.UTF_8);
  }

  /** The body as UTF-8. */
  byte[] bytes() {
    if (text != null) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[utf8.length()];
    utf8.writeTo(bytes, 0);
    return bytes;
  }

  /** The body as something that writes its UTF-8 into a larger array. */
  Utf8 utf8() {
    if (utf8 != null) {
      return utf8;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Utf8() {
      @Override
      public int length() {
        return bytes.length;
      }

      @Override
      public void writeTo(byte[] into, int at) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
      }
    };
  }

  @Override
  public String toString() {
    return status + " " + contentType + " " + body();
  }

  static Answer json(int status, Map<String, Object> body, String callback) {
    if (callback == null) {
      return new Answer(status, JSON_TYPE, Json.write(body), null);
    }
    Map<String, Object> withStatus = new LinkedHashMap<>(body);
    withStatus.put("status", status);
    return script(Jsonp.call(callback, Json.write(withStatus)));
  }

  static Answer script(String script) {
    return new Answer(200, Jsonp.CONTENT_TYPE, script, null);
  }

  /**
   * The error answer to a request that failed with {@code failure}: its {@link ApiException}'s,
   * or for anything else a 500 that says nothing of the cause.
   */
  static Answer failed(Throwable failure, String callback) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    ApiException api = cause instanceof Exception e
        ? HttpServer.toApiException(e)
        : new ApiException(500, "internal_error", ErrorCodes.message(500));
    return error(api, callback);
  }

  /** The protocol's error form: {@code {"error","message"}}, plus {@code retryAfter} for JSONP. */
  static Answer error(ApiException e, String callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    if (e.retryAfterSeconds() != null && callback != null) {
      body.put("retryAfter", Integer.parseInt(e.retryAfterSeconds())); // script tags cannot read headers
    }
    Answer answer = json(e.status(), body, callback);
    return new Answer(answer.status, answer.contentType, answer.text, e.retryAfterSeconds());
  }
}
