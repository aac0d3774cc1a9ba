package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.CRLF;
import static dev.addressable.relay.hostile.RawRequests.framed;
import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.nested;
import static dev.addressable.relay.hostile.RawRequests.object;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.postBytes;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.truncated;
import static dev.addressable.relay.hostile.RawRequests.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Corpus rows for {@code POST /connect} and its JSONP form: bodies, encodings, framing, methods. */
final class ConnectRows extends CorpusRows {

  ConnectRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    connect(rows);
  }

  private void connect(List<Row> rows) {
    String json = "application/json";
    String form = "application/x-www-form-urlencoded";
    add(rows, "connect: POST without a body", request("POST", "/connect", new byte[0]), Expect.ok(200, "\"key\""));
    add(rows, "connect: POST an empty JSON object", post("/connect", json, "{}"), Expect.ok(200, "\"key\""));
    add(rows, "connect: POST a form naming a channel", post("/connect", form, "channel=formtab"), Expect.ok(200, "formtab"));
    add(rows, "connect: JSON channel null is no channel", post("/connect", json, "{\"channel\":null}"), Expect.ok(200, "\"key\""));
    add(rows, "connect: JSON array", post("/connect", json, "[\"channel\"]"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON string", post("/connect", json, "\"hello\""), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON number", post("/connect", json, "42"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON null", post("/connect", json, "null"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON nested object field", post("/connect", json, "{\"channel\":{\"a\":\"b\"}}"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON 5000 levels deep", post("/connect", json, nested("[", "]", 5000)), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON object 5000 levels deep", post("/connect", json, nested("{\"a\":", "}", 5000)),
        Expect.error(400, "bad_json"));
    add(rows, "connect: JSON truncated", post("/connect", json, "{\"channel\":\"ab"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON with trailing garbage", post("/connect", json, "{} {}"), Expect.error(400, "bad_json"));
    add(rows, "connect: JSON channel given twice", post("/connect", json, "{\"channel\":\"a1\",\"channel\":\"b2\"}"),
        Expect.errorIn(Set.of(400), "bad_request", "bad_json"));
    add(rows, "connect: channel with a space", post("/connect", json, object("channel", "a b")), Expect.error(400, "bad_channel"));
    add(rows, "connect: channel of 65 chars", post("/connect", json, object("channel", "c".repeat(65))), Expect.error(400, "bad_channel"));
    add(rows, "connect: channel of 10000 chars", post("/connect", json, object("channel", "c".repeat(10_000))),
        Expect.error(400, "bad_channel"));
    add(rows, "connect: channel with a NUL escape", post("/connect", json, "{\"channel\":\"\\u0000\"}"), Expect.error(400, "bad_channel"));
    add(rows, "connect: channel in Cyrillic", post("/connect", json, object("channel", "\u043a\u0430\u043d\u0430\u043b")),
        Expect.error(400, "bad_channel"));
    add(rows, "connect: client that is not an id", post("/connect", json, object("client", "not-an-id", "key", "k")),
        Expect.error(400, "bad_client"));
    add(rows, "connect: client of 10000 chars", post("/connect", json, object("client", "A".repeat(10_000), "key", "k")),
        Expect.error(400, "bad_client"));
    add(rows, "connect: client without its key", post("/connect", json, object("client", c.client())), Expect.error(401, "missing_key"));
    add(rows, "connect: client with a wrong key", post("/connect", json, object("client", c.client(), "key", "AAAA")),
        Expect.error(403, "wrong_key"));
    add(rows, "connect: key without a client", post("/connect", json, object("key", c.key())), Expect.error(400, "bad_client"));
    add(rows, "connect: bearer key without a client", post("/connect", json, "{}", "Authorization: Bearer " + c.key()),
        Expect.error(400, "bad_client"));
    add(rows, "connect: channel given twice in the query", post("/connect?channel=a1&channel=b2", json, "{}"),
        Expect.error(400, "bad_request"));
    add(rows, "connect: channel given twice in a form", post("/connect", form, "channel=a1&channel=b2"),
        Expect.error(400, "bad_request"));
    add(rows, "connect: form with a bad percent escape", post("/connect", form, "channel=%zz"), Expect.error(400, "bad_request"));
    add(rows, "connect: form with invalid UTF-8", post("/connect", form, "channel=%C3%28"), Expect.error(400, "bad_channel"));
    add(rows, "connect: multipart without a boundary", post("/connect", "multipart/form-data", "channel=x"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "connect: JSON declared charset x-bogus", post("/connect", "application/json; charset=x-bogus", "{}"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "connect: form declared charset x-bogus", post("/connect", form + "; charset=x-bogus", "channel=a1"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "connect: JSON in UTF-16", postBytes("/connect", "application/json; charset=utf-16",
        "{\"channel\":\"u16tab\"}".getBytes(StandardCharsets.UTF_16)), Expect.ok(200, "u16tab"));
    add(rows, "connect: body past the request limit", post("/connect", json, "{\"channel\":\"" + "x".repeat(300_000) + "\"}"),
        Expect.error(413, "message_too_large"));
    addHalfClosed(rows, "connect: JSON body cut short", truncated("/connect", json, "{\"chan", 100), Expect.error(400, "bad_request"));
    add(rows, "connect: chunked JSON body", framed("/connect", json, "Transfer-Encoding: chunked" + CRLF,
        "2" + CRLF + "{}" + CRLF + "0" + CRLF + CRLF), Expect.ok(200, "\"key\""));
    add(rows, "connect: chunk size not hex", framed("/connect", json, "Transfer-Encoding: chunked" + CRLF,
        "zz" + CRLF + "{}" + CRLF + "0" + CRLF + CRLF), Expect.error(400, "bad_request"));
    addHalfClosed(rows, "connect: chunked body cut short", framed("/connect", json, "Transfer-Encoding: chunked" + CRLF,
        "10" + CRLF + "{}"), Expect.error(400, "bad_request"));
    add(rows, "connect: chunk size overflowing", framed("/connect", json, "Transfer-Encoding: chunked" + CRLF,
        "fffffffffffffffffffff" + CRLF + "{}" + CRLF + "0" + CRLF + CRLF), Expect.errorIn(Set.of(400, 413), "bad_request",
        "message_too_large"));
    add(rows, "connect: Content-Length negative", framed("/connect", json, "Content-Length: -1" + CRLF, "{}"),
        Expect.error(400, "bad_request"));
    add(rows, "connect: Content-Length with a plus sign", framed("/connect", json, "Content-Length: +2" + CRLF, "{}"),
        Expect.error(400, "bad_request"));
    add(rows, "connect: Content-Length of 20 digits", framed("/connect", json, "Content-Length: 99999999999999999999" + CRLF, "{}"),
        Expect.errorIn(Set.of(400, 413), "bad_request", "message_too_large"));
    add(rows, "connect: Content-Length and chunked both", framed("/connect", json,
        "Content-Length: 2" + CRLF + "Transfer-Encoding: chunked" + CRLF, "2" + CRLF + "{}" + CRLF + "0" + CRLF + CRLF),
        Expect.error(400, "bad_request"));
    add(rows, "connect: two different Content-Lengths", framed("/connect", json,
        "Content-Length: 2" + CRLF + "Content-Length: 3" + CRLF, "{} "), Expect.error(400, "bad_request"));
    add(rows, "connect: Transfer-Encoding gzip", framed("/connect", json, "Transfer-Encoding: gzip" + CRLF, "{}"),
        Expect.error(400, "bad_request"));
    add(rows, "connect: plain GET", get("/connect"), Expect.error(405, "method_not_allowed"));
    add(rows, "connect: GET as JSONP", get("/connect?callback=hostile.cb"), Expect.ok(200, "hostile.cb("));
    add(rows, "connect: JSONP with a script callback", get("/connect?callback=alert(1)"), Expect.error(400, "bad_callback"));
    add(rows, "connect: JSONP callback of 129 chars", get("/connect?callback=" + "a".repeat(129)), Expect.error(400, "bad_callback"));
    add(rows, "connect: JSONP callback given twice", get("/connect?callback=a&callback=b"), Expect.error(400, "bad_request"));
    add(rows, "connect: JSONP with a bad channel", get("/connect?callback=fn&channel=a.b"), Expect.script("bad_channel", 400));
    add(rows, "connect: PUT", request("PUT", "/connect", new byte[0]), Expect.error(405, "method_not_allowed"));
    add(rows, "connect: DELETE", request("DELETE", "/connect", null), Expect.error(405, "method_not_allowed"));
    add(rows, "connect: PATCH with JSON", request("PATCH", "/connect", utf8("{}"), "Content-Type: " + json),
        Expect.error(405, "method_not_allowed"));
  }
}
