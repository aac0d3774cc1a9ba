package dev.addressable.relay.http;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} for load balancers and {@code /metrics} for Prometheus. */
final class OpsEndpoint {

  private final Metrics metrics;
  private final Directory directory;
  private final Parker parker;

  OpsEndpoint(Metrics metrics, Directory directory, Parker parker) {
    this.metrics = metrics;
    this.directory = directory;
    this.parker = parker;
  }

  void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("channels", directory.channelCount());
    body.put("parked", parker.parkedCount());
    body.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    Responder.json(ctx, 200, body);
  }

  void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render());
  }
}
