package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Requests;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Writes {@link Answer}s on Javalin's path, which now serves only the WebSocket upgrade, routes an
 * embedding application adds, and the errors for paths nobody serves: small answers, which the
 * socket takes at once.
 */
public final class JavalinAnswers {

  private JavalinAnswers() {}

  /** The headers every answer carries, and the URL limit, for the requests Javalin serves. */
  public static void prepare(Context ctx, int maxUrlLength) {
    for (Map.Entry<String, String> header : Answer.COMMON_HEADERS) {
      ctx.header(header.getKey(), header.getValue());
    }
    ctx.header("Cache-Control", Answer.NO_STORE);
    Requests.checkUrl(ctx.req().getRequestURI(), ctx.req().getQueryString(), maxUrlLength);
  }

  public static void write(Context ctx, Answer answer) {
    byte[] bytes = answer.bytes();
    HttpServletResponse res = ctx.res();
    answer.forEachHeader(res::setHeader);
    res.setStatus(answer.status());
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException gone) {
      // The client hung up; nothing to answer.
    }
  }
}
