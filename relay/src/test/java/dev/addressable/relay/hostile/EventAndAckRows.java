package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.object;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.truncated;

import java.util.List;

/** Corpus rows for event variables ({@code /ev/{name}}) and receipts ({@code POST /ack}). */
final class EventAndAckRows extends CorpusRows {

  EventAndAckRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    events(rows);
    receipts(rows);
  }

  private void events(List<Row> rows) {
    String unset = "/ev/" + unsetEvent;
    String set = "/ev/" + setEvent;
    add(rows, "event: GET a set variable", get(set), Expect.ok(200, "\"set\":true"));
    add(rows, "event: GET an unset variable with timeout 0", get(unset + "?timeout=0"), Expect.ok(200, "\"set\":false"));
    add(rows, "event: JSONP timeout", get(unset + "?timeout=0&callback=ring"), Expect.ok(200, "/**/ring(\"" + unsetEvent + "\",false);"));
    add(rows, "event: jsonp flag calls doorbell", get(set + "?jsonp"), Expect.ok(200, "/**/doorbell("));
    add(rows, "event: POST sets it", request("POST", set, new byte[0]), Expect.ok(200, "\"woken\""));
    add(rows, "event: POST with a junk JSON body", post(set, "application/json", "[[["), Expect.ok(200, "\"woken\"")
        .or(Expect.error(400, "bad_json")));
    add(rows, "event: name of 15 chars", get("/ev/" + "e".repeat(15) + "?timeout=0"), Expect.error(400, "bad_name"));
    add(rows, "event: name of 129 chars", get("/ev/" + "e".repeat(129) + "?timeout=0"), Expect.error(400, "bad_name"));
    add(rows, "event: name of 10000 chars", get("/ev/" + "e".repeat(10_000) + "?timeout=0"), Expect.error(400, "bad_name"));
    add(rows, "event: name with a dot", get("/ev/abcdefgh.ijklmnopq?timeout=0"), Expect.error(400, "bad_name"));
    add(rows, "event: name with an encoded space", get("/ev/abcdefgh%20ijklmnopq?timeout=0"), Expect.error(400, "bad_name"));
    add(rows, "event: name with a bad percent escape", get("/ev/abcdefghijklmnop%zz?timeout=0"), Expect.error(400, "bad_request"));
    add(rows, "event: POST a name of 15 chars", request("POST", "/ev/" + "e".repeat(15), new byte[0]), Expect.error(400, "bad_name"));
    add(rows, "event: no name", get("/ev/"), Expect.error(404, "not_found"));
    add(rows, "event: timeout not a number", get(unset + "?timeout=x"), Expect.error(400, "bad_timeout"));
    add(rows, "event: timeout negative", get(unset + "?timeout=-3"), Expect.error(400, "bad_timeout"));
    add(rows, "event: timeout with a fraction", get(unset + "?timeout=0.1"), Expect.error(400, "bad_timeout"));
    add(rows, "event: timeout of 20 digits", get(unset + "?timeout=18446744073709551616"), Expect.error(400, "bad_timeout"));
    add(rows, "event: timeout given twice", get(unset + "?timeout=0&timeout=0"), Expect.error(400, "bad_request"));
    add(rows, "event: callback given twice", get(unset + "?timeout=0&callback=a&callback=b"), Expect.error(400, "bad_request"));
    add(rows, "event: callback with a script", get(unset + "?timeout=0&callback=%3Cscript%3E"), Expect.error(400, "bad_callback"));
    add(rows, "event: bad percent escape in the query", get(unset + "?timeout=0%"), Expect.error(400, "bad_request"));
    add(rows, "event: PUT", request("PUT", set, new byte[0]), Expect.error(405, "method_not_allowed"));
    add(rows, "event: DELETE", request("DELETE", set, null), Expect.error(405, "method_not_allowed"));
  }

  private void receipts(List<Row> rows) {
    String json = "application/json";
    String client = c.client();
    String key = c.key();
    String channel = c.channel();
    add(rows, "ack: a cursor inside the inbox", post("/ack", json, object("client", client, "key", key, "channel", channel,
        "cursor", epoch + ".2")), Expect.ok(200, "\"acked\""));
    add(rows, "ack: with a bearer key", post("/ack", json, object("client", client, "channel", channel, "cursor", epoch + ".1"),
        "Authorization: Bearer " + key), Expect.ok(200, "\"acked\""));
    add(rows, "ack: no cursor", post("/ack", json, object("client", client, "key", key, "channel", channel)),
        Expect.error(400, "bad_cursor"));
    add(rows, "ack: garbage cursor", post("/ack", json, object("client", client, "key", key, "channel", channel, "cursor", "x.y")),
        Expect.error(400, "bad_cursor"));
    add(rows, "ack: cursor beyond the inbox", post("/ack", json, object("client", client, "key", key, "channel", channel,
        "cursor", epoch + ".1000000")), Expect.error(400, "bad_cursor"));
    add(rows, "ack: cursor ahead in a followed topic", post("/ack", json, object("client", client, "key", key, "channel", channel,
        "cursor", topicAhead())), Expect.error(400, "bad_cursor"));
    add(rows, "ack: cursor as a number", post("/ack", json, "{\"client\":\"" + client + "\",\"key\":\"" + key
        + "\",\"channel\":\"" + channel + "\",\"cursor\":1.5}"), Expect.error(400, "bad_cursor"));
    add(rows, "ack: cursor as an array", post("/ack", json, "{\"client\":\"" + client + "\",\"key\":\"" + key
        + "\",\"channel\":\"" + channel + "\",\"cursor\":[\"" + epoch + ".1\"]}"), Expect.error(400, "bad_json"));
    add(rows, "ack: no key", post("/ack", json, object("client", client, "channel", channel, "cursor", epoch + ".1")),
        Expect.error(401, "missing_key"));
    add(rows, "ack: wrong key", post("/ack", json, object("client", client, "key", "x", "channel", channel, "cursor", epoch + ".1")),
        Expect.error(403, "wrong_key"));
    add(rows, "ack: bad client", post("/ack", json, object("client", "!", "key", key, "channel", channel, "cursor", epoch + ".1")),
        Expect.error(400, "bad_client"));
    add(rows, "ack: JSON array", post("/ack", json, "[\"" + epoch + ".1\"]"), Expect.error(400, "bad_json"));
    add(rows, "ack: form with the cursor twice", post("/ack", "application/x-www-form-urlencoded", "client=" + client + "&key="
        + key + "&channel=" + channel + "&cursor=" + epoch + ".1&cursor=" + epoch + ".2"), Expect.error(400, "bad_request"));
    addHalfClosed(rows, "ack: body cut short", truncated("/ack", json, "{\"cursor\":\"", 90), Expect.error(400, "bad_request"));
    add(rows, "ack: GET", get("/ack"), Expect.error(405, "method_not_allowed"));
  }
}
