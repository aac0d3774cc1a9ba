package dev.addressable.relay.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the browser library from the relay's jar: {@code /addressable.js} (plain script),
 * {@code /addressable.mjs} (ES module) and their type declarations. Read once at start; cached by
 * browsers for five minutes.
 */
final class AssetsEndpoint {

  static final String[] FILES = {"addressable.js", "addressable.mjs", "addressable.d.ts", "addressable.d.mts"};

  private final Map<String, byte[]> files = new HashMap<>();

  AssetsEndpoint() {
    for (String name : FILES) {
      try (InputStream in = AssetsEndpoint.class.getResourceAsStream("/public/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the relay was built without client-js/" + name);
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  void handle(Context ctx) {
    String name = ctx.path().substring(1);
    byte[] body = files.get(name);
    if (body == null) {
      throw new ApiException(404, "not_found", ErrorCodes.message(404));
    }
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.contentType(name.endsWith(".ts") || name.endsWith(".mts")
        ? "application/typescript; charset=utf-8" : "application/javascript; charset=utf-8");
    ctx.result(body);
  }
}
