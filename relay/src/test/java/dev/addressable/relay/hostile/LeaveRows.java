package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.object;
import static dev.addressable.relay.hostile.RawRequests.post;
import static dev.addressable.relay.hostile.RawRequests.request;
import static dev.addressable.relay.hostile.RawRequests.truncated;

import java.util.List;

/**
 * Corpus rows for {@code POST /leave}, aimed at the fixture's channel {@code second} (a leave
 * changes its presence, which no other row reads): the forms a browser's beacon and a backend
 * send, and hostile ones.
 */
final class LeaveRows extends CorpusRows {

  LeaveRows(Fixture f) {
    super(f);
  }

  @Override
  void addTo(List<Row> rows) {
    String form = "application/x-www-form-urlencoded";
    String json = "application/json";
    String client = c.client();
    String key = c.key();
    String fields = "client=" + client + "&channel=second&key=" + key;
    add(rows, "leave: a beacon's form, the key a field", post("/leave", form + ";charset=UTF-8", fields),
        Expect.ok(200, "{\"left\":true}"));
    add(rows, "leave: again", post("/leave", form, fields), Expect.ok(200, "\"left\":true"));
    add(rows, "leave: JSON with a bearer key", post("/leave", json, object("client", client, "channel", "second"),
        "Authorization: Bearer " + key), Expect.ok(200, "\"left\":true"));
    add(rows, "leave: JSON with the key a field", post("/leave", json, object("client", client, "channel", "second",
        "key", key)), Expect.ok(200, "\"left\":true"));
    add(rows, "leave: the fields in the query", request("POST", "/leave?" + fields, new byte[0]),
        Expect.ok(200, "\"left\":true"));
    add(rows, "leave: as JSONP", request("POST", "/leave?" + fields + "&callback=gone", new byte[0]),
        Expect.ok(200, "/**/gone({\"left\":true"));
    add(rows, "leave: a channel never connected", post("/leave", form, "client=" + client + "&channel=never&key=" + key),
        Expect.error(404, "unknown_address"));
    add(rows, "leave: no key", post("/leave", form, "client=" + client + "&channel=second"), Expect.error(401, "missing_key"));
    add(rows, "leave: an empty key", post("/leave", form, fields.replace("key=" + key, "key=")),
        Expect.error(401, "missing_key"));
    add(rows, "leave: wrong key", post("/leave", form, fields.replace("key=" + key, "key=x" + key)),
        Expect.error(403, "wrong_key"));
    add(rows, "leave: wrong key as JSONP", request("POST", "/leave?" + fields.replace("key=" + key, "key=x" + key)
        + "&callback=gone", new byte[0]), Expect.script("wrong_key", 403));
    add(rows, "leave: nothing but a callback", request("POST", "/leave?callback=gone", new byte[0]),
        Expect.script("bad_client", 400));
    add(rows, "leave: no client", post("/leave", form, "channel=second&key=" + key), Expect.error(400, "bad_client"));
    add(rows, "leave: bad client", post("/leave", form, "client=%00&channel=second&key=" + key),
        Expect.error(400, "bad_client"));
    add(rows, "leave: no channel", post("/leave", form, "client=" + client + "&key=" + key), Expect.error(400, "bad_channel"));
    add(rows, "leave: channel with a slash", post("/leave", form, "client=" + client + "&channel=a%2Fb&key=" + key),
        Expect.error(400, "bad_channel"));
    add(rows, "leave: channel of 65 chars", post("/leave", form, "client=" + client + "&channel=" + "c".repeat(65)
        + "&key=" + key), Expect.error(400, "bad_channel"));
    add(rows, "leave: the client twice", post("/leave", form, fields + "&client=" + client), Expect.error(400, "bad_request"));
    add(rows, "leave: the key in the query and the body", request("POST", "/leave?key=" + key, RawRequests.utf8(fields),
        "Content-Type: " + form), Expect.error(400, "bad_request"));
    add(rows, "leave: JSON array", post("/leave", json, "[\"" + client + "\"]"), Expect.error(400, "bad_json"));
    add(rows, "leave: JSON with a nested object", post("/leave", json, "{\"client\":{\"id\":\"" + client + "\"}}"),
        Expect.error(400, "bad_json"));
    add(rows, "leave: JSON with text after it", post("/leave", json, object("client", client) + "x"),
        Expect.error(400, "bad_json"));
    addHalfClosed(rows, "leave: body cut short", truncated("/leave", form, "client=", 90), Expect.error(400, "bad_request"));
    add(rows, "leave: GET", get("/leave?" + fields), Expect.error(405, "method_not_allowed"));
    add(rows, "leave: PUT", request("PUT", "/leave", RawRequests.utf8(fields), "Content-Type: " + form),
        Expect.error(405, "method_not_allowed"));
  }
}
