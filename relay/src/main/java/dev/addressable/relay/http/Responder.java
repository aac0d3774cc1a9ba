package dev.addressable.relay.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
      write(ctx, status, JSON_TYPE, Json.write(body));
      return;
    }
    Map<String, Object> withStatus = new LinkedHashMap<>(body);
    withStatus.put("status", status);
    script(ctx, Jsonp.call(callback, Json.write(withStatus)));
  }

  static void script(Context ctx, String script) {
    write(ctx, 200, Jsonp.CONTENT_TYPE, script);
  }

  /**
   * Writes a whole answer straight to the response. Javalin's {@code ctx.result} copies every
   * answer through a fresh 64 KiB buffer; the relay's answers are small and many (that copy was
   * two thirds of all allocation under load), so they skip it.
   */
  static void write(Context ctx, int status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpServletResponse res = ctx.res();
    res.setStatus(status);
    res.setContentType(contentType);
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException gone) {
      // The receiver hung up; nothing to answer.
    }
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
