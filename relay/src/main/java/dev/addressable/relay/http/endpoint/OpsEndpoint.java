package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.AdminToken;
import dev.addressable.relay.store.Store;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} for load balancers (always open; 503 while stopping, or while the store cannot
 * be used, then with {@code "store":"down"}) and {@code /metrics} for Prometheus (only to
 * the bearer of {@code --admin-token} when the relay has one: {@link AdminGate}).
 */
public final class OpsEndpoint {

  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Metrics metrics;
  private final Store store;
  private final Parker parker;
  private final MemoryBudget budget;
  private final AdminGate gate;

  public OpsEndpoint(Metrics metrics, Store store, Parker parker, MemoryBudget budget, AdminToken admin) {
    this.metrics = metrics;
    this.store = store;
    this.parker = parker;
    this.budget = budget;
    this.gate = new AdminGate(admin);
  }

  public Answer health(String callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    String storeDown = store.availability().downReason();
    body.put("status", parker.isClosed() ? "stopping" : "ok");
    if (storeDown != null) {
      body.put("store", "down"); // a load balancer sends this relay's clients elsewhere meanwhile
    }
    body.put("channels", store.counts().channels());
    body.put("parked", parker.parkedCount());
    body.put("memoryUsedBytes", budget.used());
    body.put("memoryInFlightBytes", budget.inFlight());
    body.put("memoryLimitBytes", budget.limit());
    body.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    return Answer.json(parker.isClosed() || storeDown != null ? 503 : 200, body, callback);
  }

  /** The Prometheus text, or a 401 for a request without this relay's admin token (if it has one). */
  public Answer metrics(String authorization) {
    Answer refused = gate.refusal(authorization);
    if (refused != null) {
      return refused;
    }
    return Answer.of(200, METRICS_TYPE, metrics.render().getBytes(StandardCharsets.UTF_8));
  }
}
