package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.bytes;
import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.nested;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.postBytes;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.truncated;
import static dev.addressable.relay.hostile.RawRequests.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Corpus rows for sends to an address: {@code GET ?message=}, every {@code POST} body, and {@code HEAD}. */
final class SendRows extends CorpusRows {

  SendRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    sendGet(rows);
    sendPost(rows);
    head(rows);
  }

  private void sendGet(List<Row> rows) {
    String m = "/m/" + c.client() + "/" + c.channel();
    add(rows, "send GET: plain", get(m + "?message=hostile"), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: client-wide", get("/m/" + c.client() + "?message=hostile"), Expect.ok(202, "\"channels\""));
    add(rows, "send GET: client-wide with a trailing slash", get("/m/" + c.client() + "/?message=x"), Expect.ok(202, "\"channels\""));
    add(rows, "send GET: invalid UTF-8 becomes U+FFFD", get(m + "?message=%C3%28"), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: overlong UTF-8 becomes U+FFFD", get(m + "?message=%C0%AF"), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: encoded surrogate", get(m + "?message=%ED%A0%80"),
        Expect.ok(202, "\"seq\"").or(Expect.error(400, "bad_message")));
    add(rows, "send GET: ttl 120", get(m + "?message=x&ttl=120"), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: empty ttl is no ttl", get(m + "?message=x&ttl="), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: wait 0", get(m + "?message=x&wait=0"), Expect.ok(202, "\"seq\""));
    add(rows, "send GET: as JSONP", get(m + "?message=x&callback=sent"), Expect.ok(200, "\"status\":202"));
    add(rows, "send GET: without message", get(m), Expect.error(400, "missing_message"));
    add(rows, "send GET: message given twice", get(m + "?message=a&message=b"), Expect.error(400, "bad_request"));
    add(rows, "send GET: message in a URL over the limit", get(m + "?message=" + "x".repeat(17_000)), Expect.error(414, "uri_too_long"));
    add(rows, "send GET: bad percent escape", get(m + "?message=%zz"), Expect.error(400, "bad_request"));
    add(rows, "send GET: percent at the end", get(m + "?message=abc%"), Expect.error(400, "bad_request"));
    add(rows, "send GET: bad escape in a field name", get(m + "?mess%zzage=x"), Expect.error(400, "bad_request"));
    add(rows, "send GET: ttl 0", get(m + "?message=x&ttl=0"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl above the inbox age", get(m + "?message=x&ttl=121"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl negative", get(m + "?message=x&ttl=-5"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl in exponent form", get(m + "?message=x&ttl=1e2"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl with a fraction", get(m + "?message=x&ttl=1.5"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl of 10000 digits", get(m + "?message=x&ttl=" + "9".repeat(10_000)), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: ttl in Arabic-Indic digits", get(m + "?message=x&ttl=%D9%A1%D9%A0"), Expect.error(400, "bad_ttl"));
    add(rows, "send GET: mid empty", get(m + "?message=x&mid="), Expect.error(400, "bad_mid"));
    add(rows, "send GET: mid of 65 chars", get(m + "?message=x&mid=" + "a".repeat(65)), Expect.error(400, "bad_mid"));
    add(rows, "send GET: mid with a slash", get(m + "?message=x&mid=a%2Fb"), Expect.error(400, "bad_mid"));
    add(rows, "send GET: mid with a space", get(m + "?message=x&mid=a+b"), Expect.error(400, "bad_mid"));
    add(rows, "send GET: mid of 10000 chars", get(m + "?message=x&mid=" + "m".repeat(10_000)), Expect.error(400, "bad_mid"));
    add(rows, "send GET: mid given twice", get(m + "?message=x&mid=a&mid=b"), Expect.error(400, "bad_request"));
    add(rows, "send GET: ttl given twice", get(m + "?message=x&ttl=5&ttl=6"), Expect.error(400, "bad_request"));
    add(rows, "send GET: wait 11", get(m + "?message=x&wait=11"), Expect.error(400, "bad_wait"));
    add(rows, "send GET: wait negative", get(m + "?message=x&wait=-1"), Expect.error(400, "bad_wait"));
    add(rows, "send GET: wait not a number", get(m + "?message=x&wait=yes"), Expect.error(400, "bad_wait"));
    add(rows, "send GET: wait in Arabic-Indic digits", get(m + "?message=x&wait=%D9%A0"), Expect.error(400, "bad_wait"));
    add(rows, "send GET: wait given twice", get(m + "?message=x&wait=0&wait=0"), Expect.error(400, "bad_request"));
    add(rows, "send GET: callback with a script", get(m + "?message=x&callback=%3Cscript%3E"), Expect.error(400, "bad_callback"));
    add(rows, "send GET: callback given twice", get(m + "?message=x&callback=a&callback=b"), Expect.error(400, "bad_request"));
    add(rows, "send GET: JSONP error for a missing message", get(m + "?callback=fn"), Expect.script("missing_message", 400));
    add(rows, "send GET: client that is not an id", get("/m/not-a-client?message=x"), Expect.error(400, "bad_client"));
    add(rows, "send GET: client of 23 chars", get("/m/" + c.client() + "A/" + c.channel() + "?message=x"), Expect.error(400, "bad_client"));
    add(rows, "send GET: client of 10000 chars", get("/m/" + "A".repeat(10_000) + "?message=x"), Expect.error(400, "bad_client"));
    add(rows, "send GET: client in invalid UTF-8", get("/m/%C3%28" + c.client().substring(2) + "?message=x"),
        Expect.errorIn(Set.of(400), "bad_client", "bad_request"));
    add(rows, "send GET: client with a percent-encoded NUL", get("/m/%00" + c.client().substring(1) + "?message=x"),
        Expect.errorIn(Set.of(400), "bad_client", "bad_request"));
    add(rows, "send GET: bad percent escape in the path", get("/m/" + c.client() + "/%zz?message=x"), Expect.error(400, "bad_request"));
    add(rows, "send GET: channel with a dot", get("/m/" + c.client() + "/a.b?message=x"), Expect.error(400, "bad_channel"));
    add(rows, "send GET: channel with an encoded space", get("/m/" + c.client() + "/a%20b?message=x"), Expect.error(400, "bad_channel"));
    add(rows, "send GET: channel of 65 chars", get("/m/" + c.client() + "/" + "c".repeat(65) + "?message=x"),
        Expect.error(400, "bad_channel"));
    add(rows, "send GET: channel with a euro sign", get("/m/" + c.client() + "/%E2%82%AC?message=x"), Expect.error(400, "bad_channel"));
    add(rows, "send GET: unknown channel", get("/m/" + c.client() + "/ghost?message=x"), Expect.error(404, "unknown_address"));
    add(rows, "send GET: client with no channels", get("/m/AAAAAAAAAAAAAAAAAAAAAA?message=x"), Expect.error(404, "unknown_address"));
    add(rows, "send GET: address with a third segment", get(m + "/extra?message=x"), Expect.error(404, "not_found"));
    add(rows, "send GET: /m/ alone", get("/m/?message=x"), Expect.error(404, "not_found"));
    add(rows, "send GET: PUT on an address", request("PUT", m, utf8("x"), "Content-Type: text/plain"),
        Expect.error(405, "method_not_allowed"));
    add(rows, "send GET: DELETE on an address", request("DELETE", m, null), Expect.error(405, "method_not_allowed"));
  }

  private void sendPost(List<Row> rows) {
    String m = "/m/" + c.client() + "/" + c.channel();
    String json = "application/json";
    String form = "application/x-www-form-urlencoded";
    add(rows, "send POST: text", post(m, "text/plain", "hello"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: text with no content type", post(m, null, "hello"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: upper-case content type", post(m, "Text/Plain", "hello"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: quoted charset", post(m, "text/plain; charset=\"utf-8\"", "hello"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: text in ISO-8859-1", postBytes(m, "text/plain; charset=iso-8859-1", bytes("caf\u00e9")),
        Expect.ok(202, "\"seq\""));
    add(rows, "send POST: text in UTF-16", postBytes(m, "text/plain; charset=utf-16", "hello".getBytes(StandardCharsets.UTF_16)),
        Expect.ok(202, "\"seq\""));
    add(rows, "send POST: text declared charset x-bogus", post(m, "text/plain; charset=x-bogus", "hello"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "send POST: text declared an empty charset", post(m, "text/plain; charset=", "hello"),
        Expect.ok(202, "\"seq\"").or(Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type")));
    add(rows, "send POST: text of invalid UTF-8 bytes", postBytes(m, "text/plain", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}),
        Expect.ok(202, "\"seq\""));
    add(rows, "send POST: empty text", post(m, "text/plain", ""), Expect.error(400, "missing_message"));
    add(rows, "send POST: text over the message limit", post(m, "text/plain", "z".repeat(70_000)), Expect.error(413, "message_too_large"));
    add(rows, "send POST: text past the request limit", post(m, "text/plain", "z".repeat(300_000)),
        Expect.error(413, "message_too_large"));
    addHalfClosed(rows, "send POST: text body cut short", truncated(m, "text/plain", "hel", 50), Expect.error(400, "bad_request"));
    addHalfClosed(rows, "send POST: JSON body cut short", truncated(m, json, "{\"a\"", 50), Expect.error(400, "bad_request"));
    addHalfClosed(rows, "send POST: form body cut short", truncated(m, form, "message=he", 50), Expect.error(400, "bad_request"));
    add(rows, "send POST: JSON object", post(m, json, "{\"message\":\"x\"}"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON string", post(m, json, "\"hello\""), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON number", post(m, json, "42"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON huge number", post(m, json, "1" + "0".repeat(300) + "e99999"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON true", post(m, json, "true"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON null", post(m, json, "null"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON array", post(m, json, "[1,\"two\",{\"three\":3}]"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON nested object", post(m, json, "{\"a\":{\"b\":[1,{\"c\":null}]}}"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON 100 levels deep", post(m, json, nested("[", "]", 100)), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON 5000 levels deep", post(m, json, nested("[", "]", 5000)),
        Expect.ok(202, "\"seq\"").or(Expect.error(400, "bad_json")));
    add(rows, "send POST: JSON with invalid UTF-8 in a string",
        postBytes(m, json, new byte[] {'"', (byte) 0xC3, 0x28, '"'}), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON with a charset", post(m, json + "; charset=utf-8", "\"x\""), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: JSON declared charset x-bogus", post(m, json + "; charset=x-bogus", "\"x\""),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "send POST: JSON string over the message limit", post(m, json, "\"" + "z".repeat(70_000) + "\""),
        Expect.error(413, "message_too_large"));
    add(rows, "send POST: JSON that does not parse", post(m, json, "{\"a\":"), Expect.error(400, "bad_json"));
    add(rows, "send POST: JSON with trailing garbage", post(m, json, "\"a\" \"b\""), Expect.error(400, "bad_json"));
    add(rows, "send POST: JSON single-quoted", post(m, json, "{'a':1}"), Expect.error(400, "bad_json"));
    add(rows, "send POST: empty JSON body", post(m, json, ""), Expect.error(400, "missing_message"));
    add(rows, "send POST: form", post(m, form, "message=hello"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: form with invalid UTF-8", post(m, form, "message=%C3%28"), Expect.ok(202, "\"seq\""));
    add(rows, "send POST: form without message", post(m, form, "msg=1"), Expect.error(400, "missing_message"));
    add(rows, "send POST: empty form", post(m, form, ""), Expect.error(400, "missing_message"));
    add(rows, "send POST: form message given twice", post(m, form, "message=a&message=b"), Expect.error(400, "bad_request"));
    add(rows, "send POST: form with a bad percent escape", post(m, form, "message=%zz"), Expect.error(400, "bad_request"));
    add(rows, "send POST: form declared charset x-bogus", post(m, form + "; charset=x-bogus", "message=x"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "send POST: multipart without a boundary", post(m, "multipart/form-data", "message=x"),
        Expect.errorIn(Set.of(400, 415), "bad_request", "unsupported_media_type"));
    add(rows, "send POST: HTML body", post(m, "text/html", "<b>x</b>"), Expect.error(415, "unsupported_media_type"));
    add(rows, "send POST: octet stream", postBytes(m, "application/octet-stream", new byte[] {0, 1, 2}),
        Expect.error(415, "unsupported_media_type"));
    add(rows, "send POST: a media type that only starts like JSON", post(m, "application/jsonx", "1"),
        Expect.error(415, "unsupported_media_type"));
    add(rows, "send POST: content type of 10000 chars", post(m, "x/" + "y".repeat(10_000), "1"),
        Expect.error(415, "unsupported_media_type"));
    add(rows, "send POST: ttl in the query", post(m + "?ttl=abc", "text/plain", "x"), Expect.error(400, "bad_ttl"));
    add(rows, "send POST: message field given twice across query and form", post(m + "?message=a", form, "message=b"),
        Expect.error(400, "bad_request"));
    add(rows, "send POST: bad percent escape in the query", post(m + "?x=%G1", "text/plain", "x"), Expect.error(400, "bad_request"));
    add(rows, "send POST: to a client-wide address", post("/m/" + c.client(), "text/plain", "all"), Expect.ok(202, "\"channels\""));
    add(rows, "send POST: to an unknown channel", post("/m/" + c.client() + "/ghost", "text/plain", "x"),
        Expect.error(404, "unknown_address"));
    add(rows, "send POST: to a client that is not an id", post("/m/nope", "text/plain", "x"), Expect.error(400, "bad_client"));
  }

  private void head(List<Row> rows) {
    String m = "/m/" + c.client() + "/" + c.channel();
    add(rows, "HEAD: a live channel", request("HEAD", m, null), Expect.ok(204, null));
    add(rows, "HEAD: a live channel with a message never sends", request("HEAD", m + "?message=x", null), Expect.ok(204, null));
    add(rows, "HEAD: a client with live channels", request("HEAD", "/m/" + c.client(), null), Expect.ok(204, null));
    add(rows, "HEAD: an unknown channel", request("HEAD", "/m/" + c.client() + "/ghost", null), Expect.error(404));
    add(rows, "HEAD: a client that is not an id", request("HEAD", "/m/xyz", null), Expect.error(400));
    add(rows, "HEAD: a channel with a dot", request("HEAD", "/m/" + c.client() + "/a.b", null), Expect.error(400));
    add(rows, "HEAD: a topic", request("HEAD", publish, null), Expect.ok(204, null));
  }
}
