package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} for load balancers and {@code /metrics} for Prometheus. */
public final class OpsEndpoint {

  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Metrics metrics;
  private final Directory directory;
  private final Parker parker;
  private final MemoryBudget budget;

  public OpsEndpoint(Metrics metrics, Directory directory, Parker parker, MemoryBudget budget) {
    this.metrics = metrics;
    this.directory = directory;
    this.parker = parker;
    this.budget = budget;
  }

  public Answer health(String callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", parker.isClosed() ? "stopping" : "ok");
    body.put("channels", directory.channelCount());
    body.put("parked", parker.parkedCount());
    body.put("memoryUsedBytes", budget.used());
    body.put("memoryInFlightBytes", budget.inFlight());
    body.put("memoryLimitBytes", budget.limit());
    body.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    return Answer.json(parker.isClosed() ? 503 : 200, body, callback);
  }

  public Answer metrics() {
    return Answer.of(200, METRICS_TYPE, metrics.render().getBytes(StandardCharsets.UTF_8));
  }
}
