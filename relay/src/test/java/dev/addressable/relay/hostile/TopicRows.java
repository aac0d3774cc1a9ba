package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.nested;
import static dev.addressable.relay.hostile.RawRequests.object;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.truncated;

import java.util.List;
import java.util.Set;

/** Corpus rows for topics: creating one, publishing, {@code /subscribe} and {@code /unsubscribe}. */
final class TopicRows extends CorpusRows {

  TopicRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    topics(rows);
  }

  private void topics(List<Row> rows) {
    String json = "application/json";
    String sub = "/subscribe";
    String client = c.client();
    String key = c.key();
    String channel = c.channel();
    add(rows, "topics: create", request("POST", "/topics", new byte[0]), Expect.ok(201, "\"subscribeKey\""));
    add(rows, "topics: create as JSONP", request("POST", "/topics?callback=made", new byte[0]), Expect.ok(200, "made("));
    add(rows, "topics: create with a bad callback", request("POST", "/topics?callback=a-b", new byte[0]), Expect.error(400, "bad_callback"));
    add(rows, "topics: GET", get("/topics"), Expect.error(405, "method_not_allowed"));
    add(rows, "topics: PUT", request("PUT", "/topics", new byte[0]), Expect.error(405, "method_not_allowed"));
    add(rows, "publish: GET", get(publish + (publish.contains("?") ? "&" : "?") + "message=hi"), Expect.ok(202, "\"subscribers\""));
    add(rows, "publish: POST text", post(publish, "text/plain", "hi"), Expect.ok(202, "\"subscribers\""));
    add(rows, "publish: POST a JSON string", post(publish, json, "\"hi\""), Expect.ok(202, "\"subscribers\""));
    add(rows, "publish: without message", get(publish), Expect.error(400, "missing_message"));
    String q = publish.contains("?") ? "&" : "?";
    add(rows, "publish: message given twice", get(publish + q + "message=a&message=b"), Expect.error(400, "bad_request"));
    add(rows, "publish: ttl 0", get(publish + q + "message=a&ttl=0"), Expect.error(400, "bad_ttl"));
    add(rows, "publish: wait 11", get(publish + q + "message=a&wait=11"), Expect.error(400, "bad_wait"));
    add(rows, "publish: bad callback", get(publish + q + "message=a&callback=x%28"), Expect.error(400, "bad_callback"));
    add(rows, "publish: text declared charset x-bogus", post(publish, "text/plain; charset=x-bogus", "hi"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "publish: image body", post(publish, "image/png", "PNG"), Expect.error(415, "unsupported_media_type"));
    add(rows, "publish: to a topic nobody made", get("/t/" + "A".repeat(32) + "?message=x"),
        Expect.errorIn(Set.of(404), "unknown_address", "not_found"));
    add(rows, "publish: to a short topic id", get("/t/abc?message=x"), Expect.errorIn(Set.of(404), "unknown_address", "not_found"));
    add(rows, "publish: to a topic id of 10000 chars", get("/t/" + "t".repeat(10_000) + "?message=x"),
        Expect.errorIn(Set.of(404), "unknown_address", "not_found"));
    add(rows, "publish: to /t/ alone", get("/t/?message=x"), Expect.error(404, "not_found"));
    add(rows, "publish: DELETE", request("DELETE", publish, null), Expect.error(405, "method_not_allowed"));
    add(rows, "subscribe: with id", post(sub, json, object("client", client, "key", key, "channel", channel, "topic", topicId,
        "subscribeKey", subscribeKey)), Expect.ok(200, "\"subscribed\":true"));
    add(rows, "subscribe: as a form", post(sub, "application/x-www-form-urlencoded", "client=" + client + "&key=" + key
        + "&channel=" + channel + "&topic=" + topicId + "&subscribeKey=" + subscribeKey), Expect.ok(200, "\"subscribed\":true"));
    add(rows, "subscribe: nothing", post(sub, json, "{}"), Expect.error(400, "bad_client"));
    add(rows, "subscribe: no key", post(sub, json, object("client", client, "channel", channel, "topic", topicId)),
        Expect.error(401, "missing_key"));
    add(rows, "subscribe: wrong key", post(sub, json, object("client", client, "key", "nope", "channel", channel, "topic", topicId)),
        Expect.error(403, "wrong_key"));
    add(rows, "subscribe: bad channel", post(sub, json, object("client", client, "key", key, "channel", "a b", "topic", topicId)),
        Expect.error(400, "bad_channel"));
    add(rows, "subscribe: no topic", post(sub, json, object("client", client, "key", key, "channel", channel)),
        Expect.error(404, "unknown_address"));
    add(rows, "subscribe: a topic nobody made", post(sub, json, object("client", client, "key", key, "channel", channel,
        "topic", "B".repeat(32), "subscribeKey", subscribeKey)), Expect.error(404, "unknown_address"));
    add(rows, "subscribe: no subscribe key", post(sub, json, object("client", client, "key", key, "channel", channel,
        "topic", topicId)), Expect.error(403, "wrong_key"));
    add(rows, "subscribe: wrong subscribe key", post(sub, json, object("client", client, "key", key, "channel", channel,
        "topic", topicId, "subscribeKey", "x")), Expect.error(403, "wrong_key"));
    add(rows, "subscribe: JSON array", post(sub, json, "[]"), Expect.error(400, "bad_json"));
    add(rows, "subscribe: JSON string", post(sub, json, "\"" + topicId + "\""), Expect.error(400, "bad_json"));
    add(rows, "subscribe: JSON number", post(sub, json, "12345"), Expect.error(400, "bad_json"));
    add(rows, "subscribe: nested topic field", post(sub, json, "{\"topic\":[\"" + topicId + "\"]}"), Expect.error(400, "bad_json"));
    add(rows, "subscribe: JSON 5000 levels deep", post(sub, json, nested("{\"topic\":", "}", 5000)), Expect.error(400, "bad_json"));
    add(rows, "subscribe: huge number as client", post(sub, json, "{\"client\":1" + "0".repeat(2000) + "}"),
        Expect.errorIn(Set.of(400), "bad_client", "bad_json"));
    add(rows, "subscribe: form field given twice", post(sub, "application/x-www-form-urlencoded", "client=a&client=b"),
        Expect.error(400, "bad_request"));
    add(rows, "subscribe: JSON declared charset x-bogus", post(sub, json + "; charset=x-bogus", "{}"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    addHalfClosed(rows, "subscribe: body cut short", truncated(sub, json, "{\"client\":", 80), Expect.error(400, "bad_request"));
    add(rows, "subscribe: GET", get(sub), Expect.error(405, "method_not_allowed"));
    add(rows, "unsubscribe: by id", post("/unsubscribe", json, object("client", client, "key", key, "channel", "second",
        "topic", topicId)), Expect.ok(200, "\"subscribed\":false"));
    add(rows, "unsubscribe: no topic", post("/unsubscribe", json, object("client", client, "key", key, "channel", channel)),
        Expect.error(404, "unknown_address"));
    add(rows, "unsubscribe: wrong key", post("/unsubscribe", json, object("client", client, "key", "k", "channel", channel,
        "topic", topicId)), Expect.error(403, "wrong_key"));
    add(rows, "unsubscribe: broken JSON", post("/unsubscribe", json, "{,}"), Expect.error(400, "bad_json"));
    add(rows, "unsubscribe: JSON number", post("/unsubscribe", json, "7"), Expect.error(400, "bad_json"));
    add(rows, "unsubscribe: DELETE", request("DELETE", "/unsubscribe", null), Expect.error(405, "method_not_allowed"));
  }
}
