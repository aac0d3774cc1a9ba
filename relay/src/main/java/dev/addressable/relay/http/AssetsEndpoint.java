package dev.addressable.relay.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Serves the browser library from the relay's jar: {@code /addressable.js} (plain script),
 * {@code /addressable.mjs} (ES module) and their type declarations. Read once at start; cached by
 * browsers for five minutes.
 */
final class AssetsEndpoint {

  private static final Set<String> FILES = Set.of("addressable.js", "addressable.mjs", "addressable.d.ts",
      "addressable.d.mts");
  private static final int MAX_AGE_SECONDS = 300;

  private final Map<String, Answer> files = new HashMap<>();

  AssetsEndpoint() {
    for (String name : FILES) {
      try (InputStream in = AssetsEndpoint.class.getResourceAsStream("/public/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the relay was built without client-js/" + name);
        }
        String type = name.endsWith(".ts") || name.endsWith(".mts")
            ? "application/typescript; charset=utf-8" : "application/javascript; charset=utf-8";
        files.put(name, Answer.file(type, in.readAllBytes(), MAX_AGE_SECONDS));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static boolean isAsset(String name) {
    return FILES.contains(name);
  }

  Answer answer(String name) {
    Answer file = files.get(name);
    if (file == null) {
      throw new ApiException(404, "not_found", ErrorCodes.message(404));
    }
    return file;
  }
}
