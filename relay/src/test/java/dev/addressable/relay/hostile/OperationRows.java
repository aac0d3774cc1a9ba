package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.utf8;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Corpus rows for operations ({@code /health}, {@code /metrics}, the script), unknown paths and methods, and CORS preflights. */
final class OperationRows extends CorpusRows {

  OperationRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    operations(rows);
    preflights(rows);
  }

  private void operations(List<Row> rows) {
    add(rows, "health: GET", get("/health"), Expect.ok(200, "\"ok\""));
    add(rows, "health: as JSONP", get("/health?callback=h"), Expect.ok(200, "/**/h("));
    add(rows, "health: bad callback", get("/health?callback=%22"), Expect.error(400, "bad_callback"));
    add(rows, "health: bad percent escape", get("/health?x=%zz"), Expect.error(400, "bad_request"));
    add(rows, "health: URL over the limit", get("/health?x=" + "h".repeat(17_000)), Expect.error(414, "uri_too_long"));
    add(rows, "health: POST", request("POST", "/health", new byte[0]), Expect.error(405, "method_not_allowed"));
    add(rows, "health: a path below it", get("/health/deep"), Expect.error(404, "not_found"));
    add(rows, "health: in upper case", get("/HEALTH"), Expect.error(404, "not_found"));
    add(rows, "metrics: GET", get("/metrics"), Expect.ok(200, "# "));
    add(rows, "metrics: DELETE", request("DELETE", "/metrics", null), Expect.error(405, "method_not_allowed"));
    add(rows, "metrics: bad percent escape", get("/metrics?%"), Expect.error(400, "bad_request"));
    add(rows, "script: GET", get("/addressable.js"), Expect.ok(200, "Addressable"));
    add(rows, "script: a trailing slash", get("/addressable.js/"), Expect.ok(200, "Addressable")
        .or(Expect.error(404, "not_found")));
    add(rows, "script: PUT", request("PUT", "/addressable.js", utf8("x"), "Content-Type: text/plain"),
        Expect.error(405, "method_not_allowed"));
    add(rows, "script: a name it does not serve", get("/addressable.jsx"), Expect.error(404, "not_found"));
    add(rows, "script: an encoded NUL after its name", get("/addressable.js%00"), Expect.errorIn(Set.of(400, 404), "bad_request",
        "not_found"));
    add(rows, "unknown: a path", get("/nope"), Expect.error(404, "not_found"));
    add(rows, "unknown: a method", request("BREW", "/health", null), Expect.errorIn(Set.of(400, 405), "bad_request",
        "method_not_allowed"));
    add(rows, "unknown: a method of 10000 chars", request("X".repeat(10_000), "/health", null),
        Expect.errorIn(Set.of(400, 405, 414, 431), "bad_request", "method_not_allowed", "uri_too_long", "headers_too_large"));
    add(rows, "unknown: TRACE", request("TRACE", "/health", null), Expect.error(405, "method_not_allowed"));
  }

  private void preflights(List<Row> rows) {
    String origin = "Origin: https://page.example";
    String method = "Access-Control-Request-Method: POST";
    String headers = "Access-Control-Request-Headers: authorization, content-type";
    String client = "/m/" + c.client();
    String address = client + "/" + c.channel();
    Map<String, String> paths = new LinkedHashMap<>();
    for (String path : List.of("/connect", "/poll", "/topics", "/subscribe", "/unsubscribe", "/ack", "/events")) {
      paths.put(path, path);
    }
    paths.put("{address}", address);
    paths.put("{clientUrl}", client);
    paths.put("{publish url}", publish);
    paths.put("/ev/{name}", "/ev/" + setEvent);
    paths.put("/status/m/{client}", "/status" + client);
    paths.put("{address}/status", address + "/status");
    paths.forEach((name, path) -> add(rows, "preflight: OPTIONS " + name, request("OPTIONS", path, null, origin, method, headers),
        Expect.ok(204, null)));
    add(rows, "preflight: a header list of 10000 chars", request("OPTIONS", "/connect", null, origin, method,
        "Access-Control-Request-Headers: " + "x-a,".repeat(2_500)), Expect.ok(204, null));
    add(rows, "preflight: bad percent escape", request("OPTIONS", "/connect?%zz", null, origin, method),
        Expect.error(400, "bad_request"));
    add(rows, "preflight: an unknown path", request("OPTIONS", "/nope", null, origin, method), Expect.error(404, "not_found"));
  }
}
