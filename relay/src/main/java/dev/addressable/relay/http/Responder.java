package dev.addressable.relay.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Writes {@link Answer}s on the Javalin path, honouring the request's JSONP callback. */
final class Responder {

  static final String CALLBACK_ATTRIBUTE = "addressable.callback";

  private Responder() {}

  static void json(Context ctx, int status, Map<String, Object> body) {
    write(ctx, Answer.json(status, body, ctx.attribute(CALLBACK_ATTRIBUTE)));
  }

  static void script(Context ctx, String script) {
    write(ctx, Answer.script(script));
  }

  static void error(Context ctx, ApiException e) {
    write(ctx, Answer.error(e, ctx.attribute(CALLBACK_ATTRIBUTE)));
  }

  /**
   * Writes a whole answer straight to the response. Javalin's {@code ctx.result} copies every
   * answer through a fresh 64 KiB buffer; the relay's answers are small and many (that copy was
   * two thirds of all allocation under load), so they skip it.
   */
  static void write(Context ctx, Answer answer) {
    byte[] bytes = answer.bytes();
    HttpServletResponse res = ctx.res();
    if (answer.retryAfter() != null) {
      res.setHeader("Retry-After", answer.retryAfter());
    }
    res.setStatus(answer.status());
    res.setContentType(answer.contentType());
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException gone) {
      // The receiver hung up; nothing to answer.
    }
  }
}
