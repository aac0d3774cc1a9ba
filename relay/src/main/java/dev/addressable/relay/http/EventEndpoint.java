package dev.addressable.relay.http;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.event.EventVariables;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Event variables: {@code GET /ev/{name}} waits until the variable is set (at once if it is),
 * {@code POST /ev/{name}} sets it. For script tags, {@code callback=fn} answers
 * {@code /**}{@code /fn("name");} once set and {@code /**}{@code /fn("name",false);} on timeout;
 * {@code ?jsonp} without a callback calls {@code doorbell}.
 */
final class EventEndpoint {

  private static final String DEFAULT_CALLBACK = "doorbell";

  private final EventVariables variables;
  private final PollConfig config;

  EventEndpoint(EventVariables variables, PollConfig config) {
    this.variables = variables;
    this.config = config;
  }

  void await(Context ctx) {
    String name = name(ctx);
    Duration timeout = Requests.timeout(ctx.queryParam("timeout"), config.defaultTimeout(), config.maxTimeout());
    String callback = ctx.attribute(Responder.CALLBACK_ATTRIBUTE);
    if (callback == null && ctx.queryParamMap().containsKey("jsonp")) {
      callback = DEFAULT_CALLBACK;
    }
    String doorbell = callback;
    CompletableFuture<Boolean> set = variables.await(name, timeout);
    if (set.isDone()) {
      respond(ctx, name, set.join(), doorbell);
    } else {
      ctx.future(() -> set.thenAccept(isSet -> respond(ctx, name, isSet, doorbell)));
    }
  }

  void set(Context ctx) {
    String name = name(ctx);
    int woken = variables.set(name);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("set", true);
    body.put("woken", woken);
    Responder.json(ctx, 200, body);
  }

  private static void respond(Context ctx, String name, boolean set, String callback) {
    if (callback != null) {
      String args = Json.write(name) + (set ? "" : ",false");
      Responder.script(ctx, Jsonp.call(callback, args));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("set", set);
    Responder.json(ctx, 200, body);
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!EventVariables.isName(name)) {
      throw ApiException.badRequest("bad_name",
          "an event variable's name is 16-128 chars of A-Z a-z 0-9 _ -; pick a large random one");
    }
    return name;
  }
}
