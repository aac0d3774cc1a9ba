package dev.addressable.relay.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One whole answer, before any server writes it: status, content type, body and an optional
 * {@code Retry-After}. Both request paths (the Javalin routes and the {@link HotRoutes}) build
 * answers here, so an answer looks the same whichever path served it.
 *
 * <p>With a JSONP {@code callback} every answer, errors included, is a 200 script whose object
 * carries {@code "status"}, so a script tag can tell success from failure.
 */
record Answer(int status, String contentType, String body, String retryAfter) {

  static final String JSON_TYPE = "application/json;charset=utf-8"; // as the servlet path writes it

  /** The headers every answer carries, as name and value. */
  static final List<Map.Entry<String, String>> COMMON_HEADERS = List.of(
      Map.entry("Access-Control-Allow-Origin", "*"),
      Map.entry("Access-Control-Expose-Headers", "Retry-After"),
      Map.entry("Referrer-Policy", "no-referrer"),
      Map.entry("X-Content-Type-Options", "nosniff"),
      Map.entry("Cache-Control", "no-store"));

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

  /** The protocol's error form: {@code {"error","message"}}, plus {@code retryAfter} for JSONP. */
  static Answer error(ApiException e, String callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    if (e.retryAfterSeconds() != null && callback != null) {
      body.put("retryAfter", Integer.parseInt(e.retryAfterSeconds())); // script tags cannot read headers
    }
    Answer answer = json(e.status(), body, callback);
    return new Answer(answer.status(), answer.contentType(), answer.body(), e.retryAfterSeconds());
  }
}
