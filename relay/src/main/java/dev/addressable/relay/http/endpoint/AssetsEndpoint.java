package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.ErrorCodes;
import dev.addressable.relay.http.wire.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the browser library from the relay's jar: {@code /addressable.js} (plain script),
 * {@code /addressable.mjs} (ES module) and their type declarations; and the dashboard's script
 * and stylesheet. Read once at start; cached by browsers for five minutes.
 */
public final class AssetsEndpoint {

  private static final int MAX_AGE_SECONDS = 300;

  private final Map<String, Answer> files = new HashMap<>();

  public AssetsEndpoint() {
    for (String name : Route.ASSET_FILES) {
      try (InputStream in = AssetsEndpoint.class.getResourceAsStream("/public/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the relay was built without public/" + name);
        }
        String type = name.endsWith(".ts") || name.endsWith(".mts") ? "application/typescript; charset=utf-8"
            : name.endsWith(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8";
        files.put(name, Answer.file(type, in.readAllBytes(), MAX_AGE_SECONDS));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Answer answer(String name) {
    Answer file = files.get(name);
    if (file == null) {
      throw new ApiException(404, "not_found", ErrorCodes.message(404));
    }
    return file;
  }
}
