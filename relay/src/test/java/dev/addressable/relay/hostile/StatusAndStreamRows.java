package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.request;

import java.util.List;
import java.util.Set;

/** Corpus rows for online status and the streaming receivers (SSE, WebSocket upgrades). */
final class StatusAndStreamRows extends CorpusRows {

  StatusAndStreamRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    status(rows);
    streams(rows);
  }

  private void status(List<Row> rows) {
    String client = c.client();
    String channel = c.channel();
    add(rows, "status: a channel", get("/status/m/" + client + "/" + channel), Expect.ok(200, "\"online\""));
    add(rows, "status: a client", get("/status/m/" + client), Expect.ok(200, "\"online\""));
    add(rows, "status: an unknown channel is offline", get("/status/m/" + client + "/ghost"), Expect.ok(200, "\"online\":false"));
    add(rows, "status: {address}/status", get("/m/" + client + "/" + channel + "/status"), Expect.ok(200, "\"online\""));
    add(rows, "status: {clientUrl}/status", get("/m/" + client + "/status"), Expect.ok(200, "\"online\""));
    add(rows, "status: {address}/status with a message is no send", get("/m/" + client + "/" + channel + "/status?message=x"),
        Expect.ok(200, "\"online\""));
    add(rows, "status: {clientUrl}/status as JSONP", get("/m/" + client + "/status?callback=seen"), Expect.ok(200, "\"online\""));
    add(rows, "status: as JSONP", get("/status/m/" + client + "?callback=seen"), Expect.ok(200, "/**/seen("));
    add(rows, "status: a client that is not an id", get("/status/m/abc"), Expect.error(400, "bad_client"));
    add(rows, "status: a channel with a dot", get("/status/m/" + client + "/a.b"), Expect.error(400, "bad_channel"));
    add(rows, "status: a channel of 65 chars", get("/m/" + client + "/" + "c".repeat(65) + "/status"), Expect.error(400, "bad_channel"));
    add(rows, "status: bad callback", get("/status/m/" + client + "?callback=x;y"), Expect.error(400, "bad_callback"));
    add(rows, "status: bad percent escape", get("/status/m/" + client + "?a=%"), Expect.error(400, "bad_request"));
    add(rows, "status: /status alone", get("/status"), Expect.error(404, "not_found"));
    add(rows, "status: of a topic path", get("/status/t/" + topicId), Expect.error(404, "not_found"));
    add(rows, "status: POST", post("/status/m/" + client, "text/plain", "x"), Expect.error(405, "method_not_allowed"));
  }

  private void streams(List<Row> rows) {
    String sse = "Accept: text/event-stream";
    String who = "client=" + c.client() + "&channel=" + c.channel();
    String auth = who + "&key=" + c.key();
    add(rows, "SSE: opens a stream", get("/events?" + auth, sse), Expect.ok(200, null));
    add(rows, "SSE: nothing", get("/events", sse), Expect.error(400, "bad_client"));
    add(rows, "SSE: no key", get("/events?" + who, sse), Expect.error(401, "missing_key"));
    add(rows, "SSE: wrong key", get("/events?" + who + "&key=zz", sse), Expect.error(403, "wrong_key"));
    add(rows, "SSE: bad channel", get("/events?client=" + c.client() + "&channel=a%2Fb&key=" + c.key(), sse),
        Expect.error(400, "bad_channel"));
    add(rows, "SSE: client given twice", get("/events?" + auth + "&client=" + c.client(), sse), Expect.error(400, "bad_request"));
    add(rows, "SSE: bad cursor", get("/events?" + auth + "&cursor=nope", sse), Expect.error(400, "bad_cursor"));
    add(rows, "SSE: cursor ahead of the inbox", get("/events?" + auth + "&cursor=" + epoch + ".999", sse),
        Expect.error(400, "bad_cursor"));
    add(rows, "SSE: cursor ahead in a followed topic", get("/events?" + auth + "&cursor=" + topicAhead(), sse),
        Expect.error(400, "bad_cursor"));
    add(rows, "SSE: garbage Last-Event-ID", get("/events?" + auth, sse, "Last-Event-ID: <script>"), Expect.error(400, "bad_cursor"));
    add(rows, "SSE: Last-Event-ID of 10000 chars", get("/events?" + auth, sse, "Last-Event-ID: " + "9".repeat(10_000)),
        Expect.error(400, "bad_cursor"));
    add(rows, "SSE: bad percent escape", get("/events?" + auth + "&cursor=%", sse), Expect.error(400, "bad_request"));
    add(rows, "SSE: POST", post("/events?" + auth, "text/plain", "x", sse), Expect.error(405, "method_not_allowed"));
    String upgrade = "Upgrade: websocket";
    String connection = "Connection: Upgrade";
    String version = "Sec-WebSocket-Version: 13";
    String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
    add(rows, "WebSocket: plain GET without an upgrade", get("/ws?" + auth),
        Expect.errorIn(Set.of(400, 426), "bad_request", "upgrade_required"));
    add(rows, "WebSocket: upgrade without a key", get("/ws?" + auth, upgrade, connection, version), Expect.error(400, "bad_request"));
    add(rows, "WebSocket: upgrade with a key that is not 16 bytes", get("/ws?" + auth, upgrade, connection, version,
        "Sec-WebSocket-Key: x"), Expect.error(400, "bad_request"));
    add(rows, "WebSocket: upgrade of version 99", get("/ws?" + auth, upgrade, connection, "Sec-WebSocket-Version: 99", key),
        Expect.errorIn(Set.of(400, 426), "bad_request", "upgrade_required"));
    add(rows, "WebSocket: upgrade to another protocol", get("/ws?" + auth, "Upgrade: h2c", connection, version, key),
        Expect.errorIn(Set.of(400, 426), "bad_request", "upgrade_required"));
    add(rows, "WebSocket: upgrade over POST", request("POST", "/ws?" + auth, new byte[0], upgrade, connection, version, key),
        Expect.errorIn(Set.of(400, 405), "bad_request", "method_not_allowed"));
  }
}
