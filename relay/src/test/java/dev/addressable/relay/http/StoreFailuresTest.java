package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.http.route.Endpoints;
import dev.addressable.relay.http.route.Router;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Cancellable;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.Counts;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.StoreBusy;
import dev.addressable.relay.store.StoreFull;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.variable.Doorbells;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a store's failures reach the wire, with a tiny store that fails every operation: 503
 * {@code store_unavailable} (and {@code "outcome":"unknown"} when the store cannot tell whether a
 * write happened) or 503 {@code overloaded}, each with a {@code Retry-After}; never a 500. Both
 * when the failure is there at once and when it comes later, on the store's own thread.
 */
@Timeout(20)
class StoreFailuresTest {

  private static final String CLIENT = Ids.newClientId();
  private final KeyRing keys = new KeyRing(new byte[32]);
  private final Parker parker = new Parker(100);
  private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "addressable-http-test"));
  private final ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "store-io"));

  @AfterEach
  void stop() {
    parker.close();
    pool.shutdownNow();
    storeThread.shutdownNow();
  }

  /** Failures of the store's operations not yet delivered: {@link #serve} delivers them after the request was handled. */
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

  /**
   * A store whose every operation fails with {@code failure}: at once, or {@code later} on its own
   * thread, once the relay has handed the request on (so the relay is surely waiting for it).
   */
  private Store failing(RuntimeException failure, boolean later) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getReturnType() == CompletionStage.class) {
            if (!later) {
              return CompletableFuture.failedFuture(failure);
            }
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            pending.add(() -> outcome.completeExceptionally(failure));
            return outcome;
          }
          if (method.getReturnType() == Counts.class) {
            return new Counts(0, 0, 0);
          }
          return method.getReturnType() == int.class ? 0 : null;
        });
  }

  private Router router(Store store) {
    RelayConfig config = RelayConfig.defaults();
    Receivers receivers = new Receivers(store, Runnable::run, pool, System::currentTimeMillis);
    Endpoints.Node node = new Endpoints.Node(receivers, new Receipts(store, parker, pool), new Doorbells(store, parker, pool),
        new LongPoll(store, receivers, parker, config.poll()),
        new Streams(receivers, parker, Duration.ofSeconds(30), 16, pool, System::currentTimeMillis), parker,
        new Hubs(System::currentTimeMillis), new ClientPolls(config.poll().maxPerClient()));
    Metrics metrics = new Metrics();
    return new Router(Endpoints.of(config, store, node, keys, metrics, MemoryBudget.unlimited(), pool), metrics, 8192);
  }

  /** What one request to {@code store}'s relay is answered, and on which thread. */
  private record Served(Answer answer, String thread) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(answer.body());
      } catch (Exception e) {
        throw new AssertionError(answer.body(), e);
      }
    }
  }

  private Served serve(Store store, String method, String path, String query) throws Exception {
    CompletableFuture<Served> answered = new CompletableFuture<>();
    Exchange exchange = new Exchange() {
      @Override
      public void answer(Answer answer) {
        answered.complete(new Served(answer, Thread.currentThread().getName()));
      }

      @Override
      public void waiting(Cancellable onHangUp) {}
    };
    String authorization = "Bearer " + keys.keyFor(CLIENT);
    router(store).serve(Route.of(path), new Call(method, path, path, query,
        name -> name.equalsIgnoreCase("Authorization") ? authorization : null, Call.NO_BODY, "http://localhost"),
        exchange);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!answered.isDone() && System.nanoTime() < deadline) {
      for (Runnable fail; (fail = pending.poll()) != null; ) {
        storeThread.execute(fail);
      }
      Thread.sleep(5);
    }
    return answered.get(5, TimeUnit.SECONDS);
  }

  private static void assertRetryLater(Served served, String code) {
    assertEquals(503, served.answer().status(), served.answer().toString());
    assertEquals(code, served.json().get("error").asText());
    int seconds = Integer.parseInt(served.answer().retryAfter());
    assertTrue(seconds >= 1 && seconds <= 6, "Retry-After " + seconds);
  }

  @Test
  void aSendTheStoreCannotTakeIs503StoreUnavailable() throws Exception {
    Served sent = serve(failing(new StoreUnavailable("down", true), false), "GET", "/m/" + CLIENT + "/tab", "message=hi");
    assertRetryLater(sent, "store_unavailable");
    assertFalse(sent.json().has("outcome"), "the store said it did not store it");
  }

  @Test
  void aSendThatMayHaveBeenStoredSaysTheOutcomeIsUnknown() throws Exception {
    Served sent = serve(failing(new StoreUnavailable("timed out", false), false), "GET", "/m/" + CLIENT + "/tab",
        "message=hi");
    assertRetryLater(sent, "store_unavailable");
    assertEquals("unknown", sent.json().get("outcome").asText());
  }

  @Test
  void aFullStoreIs503Overloaded() throws Exception {
    assertRetryLater(serve(failing(new StoreFull("OOM"), false), "GET", "/m/" + CLIENT + "/tab", "message=hi"),
        "overloaded");
    assertRetryLater(serve(failing(new StoreFull("OOM"), false), "GET", "/m/" + CLIENT, "message=hi"), "overloaded");
  }

  @Test
  void aBusyStoreIs503OverloadedAndNothingWasSent() throws Exception {
    Served sent = serve(failing(new StoreBusy("65536 waiting"), false), "GET", "/m/" + CLIENT + "/tab", "message=hi");
    assertRetryLater(sent, "overloaded");
    assertFalse(sent.json().has("outcome"), "nothing was sent, so the outcome is known");
    assertRetryLater(serve(failing(new StoreBusy("65536 waiting"), false), "GET", "/poll",
        "client=" + CLIENT + "&channel=tab"), "overloaded");
  }

  @Test
  void aFailureThatComesLaterIsAnsweredOnTheRelaysPoolNotTheStoresThread() throws Exception {
    Store store = failing(new StoreUnavailable("down", false), true);
    for (String[] request : new String[][] {
        {"GET", "/m/" + CLIENT + "/tab", "message=hi"},
        {"POST", "/connect", "client=" + CLIENT + "&channel=tab"},
        {"GET", "/poll", "client=" + CLIENT + "&channel=tab&timeout=5"},
        {"GET", "/poll", "client=" + CLIENT + "&channel=tab&timeout=0"},
        {"GET", "/status/m/" + CLIENT, null},
        {"POST", "/ack", "client=" + CLIENT + "&channel=tab&cursor=abcdefgh.1"},
        {"POST", "/topics", null},
        {"POST", "/subscribe", "client=" + CLIENT + "&channel=tab&topic=x"},
        {"POST", "/unsubscribe", "client=" + CLIENT + "&channel=tab&topic=x"},
        {"POST", "/ev/doorbell-0123456789abcdef", null},
        {"GET", "/ev/doorbell-0123456789abcdef", "timeout=5"}}) {
      Served served = serve(store, request[0], request[1], request[2]);
      assertRetryLater(served, "store_unavailable");
      assertEquals("addressable-http-test", served.thread(), String.join(" ", request));
    }
  }

  @Test
  void everyPathAnswersAFailureAtOnceAs503() throws Exception {
    Store store = failing(new StoreUnavailable("down", true), false);
    for (String[] request : new String[][] {
        {"POST", "/connect", "client=" + CLIENT + "&channel=tab"},
        {"GET", "/poll", "client=" + CLIENT + "&channel=tab&timeout=5"},
        {"GET", "/poll", "client=" + CLIENT + "&channel=tab&timeout=0"},
        {"POST", "/ack", "client=" + CLIENT + "&channel=tab&cursor=abcdefgh.1"},
        {"GET", "/status/m/" + CLIENT + "/tab", null},
        {"POST", "/topics", null},
        {"HEAD", "/m/" + CLIENT + "/tab", null},
        {"POST", "/ev/doorbell-0123456789abcdef", null}}) {
      Served served = serve(store, request[0], request[1], request[2]);
      if (request[0].equals("HEAD")) {
        assertEquals(503, served.answer().status());
      } else {
        assertRetryLater(served, "store_unavailable");
      }
    }
  }
}
