package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.variable.Doorbells;
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
public final class EventEndpoint {

  private static final String DEFAULT_CALLBACK = "doorbell";

  private final Store store;
  private final Doorbells doorbells;
  private final Later later;
  private final PollConfig config;

  public EventEndpoint(Store store, Doorbells doorbells, Later later, PollConfig config) {
    this.store = store;
    this.doorbells = doorbells;
    this.later = later;
    this.config = config;
  }

  /** Answers now if the variable is set (or the timeout is 0), else when it is set or the time is up. */
  public void await(String rawName, Fields fields, String callback, Exchange exchange) {
    String name = name(rawName);
    Duration timeout = Requests.timeout(fields.get("timeout"), config.defaultTimeout(), config.maxTimeout());
    String doorbell = callback == null && fields.get("jsonp") != null ? DEFAULT_CALLBACK : callback;
    CompletableFuture<Boolean> set = doorbells.await(new VariableName(name), timeout);
    if (set.isDone()) {
      exchange.answer(answer(name, set.join(), doorbell));
      return;
    }
    exchange.waiting(() -> set.cancel(false));
    set.whenComplete((isSet, failure) -> {
      if (!set.isCancelled()) {
        exchange.answer(failure == null ? answer(name, isSet, doorbell) : Answer.failed(failure, doorbell));
      }
    });
  }

  /** The answer now, or {@code null} when it comes later through {@code exchange}. */
  public Answer set(String rawName, String callback, Exchange exchange) {
    String name = name(rawName);
    return later.answer(store.setVariable(new VariableName(name)), exchange, callback, woken -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("set", true);
      body.put("woken", woken);
      return Answer.json(200, body, callback);
    });
  }

  private static Answer answer(String name, boolean set, String callback) {
    if (callback != null) {
      return Answer.script(Jsonp.call(callback, Json.write(name) + (set ? "" : ",false")));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("set", set);
    return Answer.json(200, body, null);
  }

  private static String name(String name) {
    if (!VariableName.isValid(name)) {
      throw ApiException.badRequest("bad_name",
          "an event variable's name is 16-128 chars of A-Z a-z 0-9 _ -; pick a large random one");
    }
    return name;
  }
}
