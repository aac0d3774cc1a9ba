package dev.addressable.relay.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes answers: JSON, or JSONP when the request named a {@code callback}. With a callback every
 * answer, errors included, is a 200 script whose object carries {@code "status"}, so a script tag
 * can tell success from failure.
 */
final class Responder {

  static final String CALLBACK_ATTRIBUTE = "addressable.callback";
  static final String JSON_TYPE = "application/json; charset=utf-8";

  private Responder() {}

  static void json(Context ctx, int status, Map<String, Object> body) {
    String callback = ctx.attribute(CALLBACK_ATTRIBUTE);
    if (callback == null) {
      ctx.status(status).contentType(JSON_TYPE).result(Json.write(body));
      return;
    }
    Map<String, Object> withStatus = new LinkedHashMap<>(body);
    withStatus.put("status", status);
    script(ctx, Jsonp.call(callback, Json.write(withStatus)));
  }

  static void script(Context ctx, String script) {
    ctx.status(200).contentType(Jsonp.CONTENT_TYPE).result(script);
  }

  static void error(Context ctx, ApiException e) {
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", e.retryAfterSeconds());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    if (e.retryAfterSeconds() != null && ctx.attribute(CALLBACK_ATTRIBUTE) != null) {
      body.put("retryAfter", Integer.parseInt(e.retryAfterSeconds())); // script tags cannot read headers
    }
    json(ctx, e.status(), body);
  }
}
