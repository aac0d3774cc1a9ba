package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.request;

import java.util.List;

/** Corpus rows for {@code GET /poll}: ids, keys, cursors, timeouts, callbacks, escapes, methods. */
final class PollRows extends CorpusRows {

  PollRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    poll(rows);
  }

  private void poll(List<Row> rows) {
    String who = "client=" + c.client() + "&channel=" + c.channel();
    String auth = who + "&key=" + c.key();
    String bearer = "Authorization: Bearer " + c.key();
    add(rows, "poll: with bearer key and timeout 0", get("/poll?" + who + "&timeout=0", bearer), Expect.ok(200, "\"messages\""));
    add(rows, "poll: with a lower-case bearer scheme", get("/poll?" + who + "&timeout=0", "Authorization: bearer " + c.key()),
        Expect.ok(200, "\"messages\""));
    add(rows, "poll: from the first cursor", get("/poll?" + auth + "&timeout=0&cursor=" + epoch + ".0"), Expect.ok(200, "\"m1\""));
    add(rows, "poll: empty cursor is no cursor", get("/poll?" + auth + "&timeout=0&cursor="), Expect.ok(200, "\"messages\""));
    add(rows, "poll: unknown fields are ignored", get("/poll?" + auth + "&timeout=0&foo=bar&=&&"), Expect.ok(200, "\"messages\""));
    add(rows, "poll: trailing slash", get("/poll/?" + auth + "&timeout=0"), Expect.ok(200, "\"messages\""));
    add(rows, "poll: JSONP", get("/poll?" + auth + "&timeout=0&callback=Recv.got"), Expect.ok(200, "/**/Recv.got("));
    add(rows, "poll: nothing at all", get("/poll"), Expect.error(400, "bad_client"));
    add(rows, "poll: empty client", get("/poll?client=&channel=a&key=k"), Expect.error(400, "bad_client"));
    add(rows, "poll: client of 21 chars", get("/poll?client=" + c.client().substring(1) + "&channel=a&key=k"),
        Expect.error(400, "bad_client"));
    add(rows, "poll: client of 10000 chars", get("/poll?client=" + "A".repeat(10_000) + "&channel=a&key=k"),
        Expect.error(400, "bad_client"));
    add(rows, "poll: client with a percent-encoded NUL", get("/poll?client=%00" + c.client().substring(1) + "&channel=a&key=k"),
        Expect.error(400, "bad_client"));
    add(rows, "poll: client in invalid UTF-8", get("/poll?client=%C3%28" + c.client().substring(2) + "&channel=a&key=k"),
        Expect.error(400, "bad_client"));
    add(rows, "poll: client given twice", get("/poll?" + auth + "&client=" + c.client()), Expect.error(400, "bad_request"));
    add(rows, "poll: empty channel", get("/poll?client=" + c.client() + "&channel=&key=" + c.key()), Expect.error(400, "bad_channel"));
    add(rows, "poll: channel of 65 chars", get("/poll?client=" + c.client() + "&channel=" + "c".repeat(65) + "&key=" + c.key()),
        Expect.error(400, "bad_channel"));
    add(rows, "poll: channel with a dot", get("/poll?client=" + c.client() + "&channel=a.b&key=" + c.key()),
        Expect.error(400, "bad_channel"));
    add(rows, "poll: channel with a euro sign", get("/poll?client=" + c.client() + "&channel=%E2%82%AC&key=" + c.key()),
        Expect.error(400, "bad_channel"));
    add(rows, "poll: channel given twice", get("/poll?" + auth + "&channel=x"), Expect.error(400, "bad_request"));
    add(rows, "poll: no key", get("/poll?" + who + "&timeout=0"), Expect.error(401, "missing_key"));
    add(rows, "poll: empty key", get("/poll?" + who + "&key=&timeout=0"), Expect.error(401, "missing_key"));
    add(rows, "poll: wrong key", get("/poll?" + who + "&key=" + "A".repeat(43) + "&timeout=0"), Expect.error(403, "wrong_key"));
    add(rows, "poll: key of 10000 chars", get("/poll?" + who + "&key=" + "k".repeat(10_000) + "&timeout=0"),
        Expect.error(403, "wrong_key"));
    add(rows, "poll: key given twice", get("/poll?" + auth + "&key=x&timeout=0"), Expect.error(400, "bad_request"));
    add(rows, "poll: Basic authorization is no key", get("/poll?" + who + "&timeout=0", "Authorization: Basic dXNlcjpwYXNz"),
        Expect.error(401, "missing_key"));
    add(rows, "poll: wrong bearer beats a right key field", get("/poll?" + auth + "&timeout=0", "Authorization: Bearer nope"),
        Expect.error(403, "wrong_key"));
    add(rows, "poll: cursor of control bytes", get("/poll?" + auth + "&cursor=%00%01"), Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor without a dot", get("/poll?" + auth + "&cursor=" + epoch), Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor with a negative seq", get("/poll?" + auth + "&cursor=" + epoch + ".-1"), Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor with a 17-digit seq", get("/poll?" + auth + "&cursor=" + epoch + "." + "9".repeat(17)),
        Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor ahead of the inbox", get("/poll?" + auth + "&timeout=0&cursor=" + epoch + ".1000"),
        Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor of 10000 chars", get("/poll?" + auth + "&cursor=" + "c".repeat(10_000)), Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor with a bad topic part", get("/poll?" + auth + "&cursor=" + epoch + ".1~x.y.z"),
        Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor ahead in a followed topic", get("/poll?" + auth + "&timeout=0&cursor=" + topicAhead()),
        Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor naming one topic twice", get("/poll?" + auth + "&timeout=0&cursor=" + topicCursor
        + topicCursor.substring(topicCursor.indexOf('~'))), Expect.error(400, "bad_cursor"));
    add(rows, "poll: cursor naming a topic not followed", get("/poll?" + auth + "&timeout=0&cursor=" + epoch + ".1~"
        + "C".repeat(32) + ".AAAAAAAAAAA.5"), Expect.ok(200, "\"messages\""));
    add(rows, "poll: cursor given twice", get("/poll?" + auth + "&cursor=" + epoch + ".0&cursor=" + epoch + ".1"),
        Expect.error(400, "bad_request"));
    add(rows, "poll: cursor of another epoch is missed", get("/poll?" + auth + "&timeout=0&cursor=AAAAAAAAAAA.1"),
        Expect.ok(200, "\"missed\":true"));
    add(rows, "poll: timeout negative", get("/poll?" + auth + "&timeout=-1"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout not a number", get("/poll?" + auth + "&timeout=soon"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout with a fraction", get("/poll?" + auth + "&timeout=0.5"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout in hex", get("/poll?" + auth + "&timeout=0x0"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout above 3600", get("/poll?" + auth + "&timeout=3601"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout of 20 digits", get("/poll?" + auth + "&timeout=99999999999999999999"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout with a leading space", get("/poll?" + auth + "&timeout=+0"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout in Arabic-Indic digits", get("/poll?" + auth + "&timeout=%D9%A0"), Expect.error(400, "bad_timeout"));
    add(rows, "poll: timeout given twice", get("/poll?" + auth + "&timeout=0&timeout=0"), Expect.error(400, "bad_request"));
    add(rows, "poll: callback with parentheses", get("/poll?" + auth + "&callback=alert(document.cookie)"),
        Expect.error(400, "bad_callback"));
    add(rows, "poll: callback empty", get("/poll?" + auth + "&timeout=0&callback="), Expect.error(400, "bad_callback"));
    add(rows, "poll: callback starting with a digit", get("/poll?" + auth + "&callback=1fn"), Expect.error(400, "bad_callback"));
    add(rows, "poll: callback with an empty path part", get("/poll?" + auth + "&callback=a..b"), Expect.error(400, "bad_callback"));
    add(rows, "poll: callback of 129 chars", get("/poll?" + auth + "&callback=" + "f".repeat(129)), Expect.error(400, "bad_callback"));
    add(rows, "poll: callback given twice", get("/poll?" + auth + "&callback=a&callback=b"), Expect.error(400, "bad_request"));
    add(rows, "poll: JSONP error for a bad client", get("/poll?client=x&channel=a&key=k&callback=fn"), Expect.script("bad_client", 400));
    add(rows, "poll: JSONP error for a wrong key", get("/poll?" + who + "&key=nope&callback=fn"), Expect.script("wrong_key", 403));
    add(rows, "poll: JSONP error for a bad timeout", get("/poll?" + auth + "&timeout=x&callback=fn"), Expect.script("bad_timeout", 400));
    add(rows, "poll: bad percent escape", get("/poll?" + auth + "&x=%zz"), Expect.error(400, "bad_request"));
    add(rows, "poll: truncated percent escape", get("/poll?" + auth + "&x=%4"), Expect.error(400, "bad_request"));
    add(rows, "poll: percent-u escape", get("/poll?" + auth + "&x=%u0041"), Expect.error(400, "bad_request"));
    add(rows, "poll: POST", post("/poll?" + auth, "text/plain", "x"), Expect.error(405, "method_not_allowed"));
    add(rows, "poll: PUT", request("PUT", "/poll?" + auth, new byte[0]), Expect.error(405, "method_not_allowed"));
    add(rows, "poll: DELETE", request("DELETE", "/poll?" + auth, null), Expect.error(405, "method_not_allowed"));
  }
}
