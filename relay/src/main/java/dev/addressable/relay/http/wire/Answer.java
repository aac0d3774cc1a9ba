package dev.addressable.relay.http.wire;

import dev.addressable.relay.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * One whole answer, before any path writes it: status, content type, body, and the few headers an
 * answer may carry beyond {@link #COMMON_HEADERS}. Both request paths (the relay's own connection
 * and Jetty's) write answers from here, so an answer looks the same whichever path served it.
 *
 * <p>With a JSONP {@code callback} every answer, errors included, is a 200 script whose object
 * carries {@code "status"}, so a script tag can tell success from failure.
 */
public final class Answer {

  /**
   * A body that writes its UTF-8 bytes straight into a larger array, so that a poll's answer is
   * encoded once, into the array that carries its head too, with no string made first.
   */
  public interface Utf8 {
    /** How many bytes {@link #writeTo} writes. */
    int length();

    /** Writes {@link #length()} bytes at {@code into[at]}. */
    void writeTo(byte[] into, int at);
  }

  public static final String JSON_TYPE = "application/json;charset=utf-8";
  public static final String NO_STORE = "no-store";

  /** The headers every answer carries, as name and value ({@code Cache-Control} is per answer). */
  public static final List<Map.Entry<String, String>> COMMON_HEADERS = List.of(
      Map.entry("Access-Control-Allow-Origin", "*"),
      Map.entry("Access-Control-Expose-Headers", "Retry-After"),
      Map.entry("Referrer-Policy", "no-referrer"),
      Map.entry("X-Content-Type-Options", "nosniff"));

  private static final Utf8 EMPTY = new Bytes(new byte[0]);
  private static final String[] NO_HEADERS = new String[0];

  private final int status;
  private final String contentType;
  private final Utf8 body;
  private final String retryAfter;
  private final String cacheControl;
  /** Further headers, as name, value, name, value… */
  private final String[] headers;

  private Answer(int status, String contentType, Utf8 body, String retryAfter, String cacheControl, String[] headers) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.retryAfter = retryAfter;
    this.cacheControl = cacheControl;
    this.headers = headers;
  }

  /** A JSON answer of this text. */
  public static Answer json(int status, String json) {
    return new Answer(status, JSON_TYPE, new Bytes(json.getBytes(StandardCharsets.UTF_8)), null, NO_STORE, NO_HEADERS);
  }

  /** A JSON answer whose body writes itself as UTF-8. */
  public static Answer json(int status, Utf8 body) {
    return new Answer(status, JSON_TYPE, body, null, NO_STORE, NO_HEADERS);
  }

  /** A JSON answer of {@code body}, or its JSONP script when {@code callback} is given. */
  public static Answer json(int status, Map<String, Object> body, String callback) {
    if (callback == null) {
      return json(status, Json.write(body));
    }
    Map<String, Object> withStatus = new LinkedHashMap<>(body);
    withStatus.put("status", status);
    return script(Jsonp.call(callback, Json.write(withStatus)));
  }

  public static Answer script(String script) {
    return script(new Bytes(script.getBytes(StandardCharsets.UTF_8)));
  }

  /** A JSONP script that writes itself as UTF-8 ({@link Jsonp#call(String, Utf8)}). */
  public static Answer script(Utf8 script) {
    return new Answer(200, Jsonp.CONTENT_TYPE, script, null, NO_STORE, NO_HEADERS);
  }

  /** An answer without a body (a HEAD's, a preflight's). */
  public static Answer empty(int status) {
    return new Answer(status, JSON_TYPE, EMPTY, null, NO_STORE, NO_HEADERS);
  }

  /** An answer of these bytes, never cached. */
  public static Answer of(int status, String contentType, byte[] bytes) {
    return new Answer(status, contentType, new Bytes(bytes), null, NO_STORE, NO_HEADERS);
  }

  /** A static file, which browsers may cache for {@code maxAgeSeconds}. */
  public static Answer file(String contentType, byte[] bytes, int maxAgeSeconds) {
    return new Answer(200, contentType, new Bytes(bytes), null, "public, max-age=" + maxAgeSeconds, NO_HEADERS);
  }

  /** This answer with more headers ({@code name, value, …}). */
  public Answer with(String... nameValues) {
    String[] all = new String[headers.length + nameValues.length];
    System.arraycopy(headers, 0, all, 0, headers.length);
    System.arraycopy(nameValues, 0, all, headers.length, nameValues.length);
    return new Answer(status, contentType, body, retryAfter, cacheControl, all);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** The {@code Retry-After} value, or {@code null}. */
  public String retryAfter() {
    return retryAfter;
  }

  public String cacheControl() {
    return cacheControl;
  }

  /** Headers beyond the common ones, {@code Content-Type}, {@code Cache-Control} and {@code Retry-After}. */
  public String[] headers() {
    return headers;
  }

  /**
   * Every header of this answer but {@code Content-Length} (and a path's own {@code Date},
   * {@code Connection}): the one list every path writes, so an answer reads the same whichever
   * path served it.
   */
  public void forEachHeader(BiConsumer<String, String> header) {
    header.accept("Content-Type", contentType);
    header.accept("Cache-Control", cacheControl);
    if (retryAfter != null) {
      header.accept("Retry-After", retryAfter);
    }
    for (int i = 0; i < headers.length; i += 2) {
      header.accept(headers[i], headers[i + 1]);
    }
    for (Map.Entry<String, String> common : COMMON_HEADERS) {
      header.accept(common.getKey(), common.getValue());
    }
  }

  /** The body as text. */
  public String body() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /** The body as UTF-8. */
  public byte[] bytes() {
    if (body instanceof Bytes b) {
      return b.bytes;
    }
    byte[] bytes = new byte[body.length()];
    body.writeTo(bytes, 0);
    return bytes;
  }

  /** The body as something that writes its UTF-8 into a larger array. */
  public Utf8 utf8() {
    return body;
  }

  @Override
  public String toString() {
    return status + " " + contentType + " " + body();
  }

  /**
   * The error answer to a request that failed with {@code failure}: its {@link ApiException}'s,
   * or for anything else a 500 that says nothing of the cause (and is logged).
   */
  public static Answer failed(Throwable failure, String callback) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return error(ApiException.of(cause), callback);
  }

  /** The protocol's error form: {@code {"error","message"}}, plus {@code retryAfter} for JSONP. */
  public static Answer error(ApiException e, String callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    if (e.outcomeUnknown()) {
      body.put("outcome", "unknown");
    }
    if (e.retryAfterSeconds() != null && callback != null) {
      body.put("retryAfter", Integer.parseInt(e.retryAfterSeconds())); // script tags cannot read headers
    }
    Answer answer = json(e.status(), body, callback);
    String[] allow = e.allow() == null ? NO_HEADERS : new String[] {"Allow", e.allow()};
    return new Answer(answer.status, answer.contentType, answer.body, e.retryAfterSeconds(), NO_STORE, allow);
  }

  /** A body that is already bytes. */
  private record Bytes(byte[] bytes) implements Utf8 {
    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public void writeTo(byte[] into, int at) {
      System.arraycopy(bytes, 0, into, at, bytes.length);
    }
  }
}
