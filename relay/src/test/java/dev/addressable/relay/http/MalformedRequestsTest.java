package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of broken, hostile and odd requests sent as raw bytes. None may be answered with a 5xx;
 * each gets the protocol's JSON error with the expected status; no stack trace reaches the client.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();
  private Connection c;

  @BeforeAll
  void connect() {
    c = relay.http().connect();
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  private static String post(String target, String type, String body) {
    return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + (type == null ? "" : "Content-Type: " + type + "\r\n")
        + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  Stream<Arguments> requests() {
    String m = "/m/" + c.client() + "/" + c.channel();
    String auth = "client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key();
    List<Arguments> rows = new ArrayList<>();
    rows.add(Arguments.of("unknown path", get("/nope"), 404, "not_found"));
    rows.add(Arguments.of("address of bad client", get("/m/not-a-client?message=x"), 400, "bad_client"));
    rows.add(Arguments.of("address of bad channel", get("/m/" + c.client() + "/bad%20name?message=x"), 400, "bad_channel"));
    rows.add(Arguments.of("channel name too long", get("/m/" + c.client() + "/" + "a".repeat(65) + "?message=x"), 400, "bad_channel"));
    rows.add(Arguments.of("unknown live channel", get("/m/" + c.client() + "/ghost?message=x"), 404, "unknown_address"));
    rows.add(Arguments.of("send without message", get(m), 400, "missing_message"));
    rows.add(Arguments.of("bad percent encoding in message", get(m + "?message=%zz"), 400, "bad_request"));
    rows.add(Arguments.of("truncated percent encoding", get(m + "?message=abc%"), 400, "bad_request"));
    rows.add(Arguments.of("invalid utf-8 in message", get(m + "?message=%C3%28"), 202, null));
    rows.add(Arguments.of("message given twice", get(m + "?message=a&message=b"), 400, "bad_request"));
    rows.add(Arguments.of("ttl not a number", get(m + "?message=a&ttl=1e9"), 400, "bad_ttl"));
    rows.add(Arguments.of("ttl negative", get(m + "?message=a&ttl=-5"), 400, "bad_ttl"));
    rows.add(Arguments.of("url too long", get(m + "?message=" + "x".repeat(17_000)), 414, "uri_too_long"));
    rows.add(Arguments.of("url far too long for jetty", get(m + "?message=" + "x".repeat(40_000)), 414, "uri_too_long"));
    rows.add(Arguments.of("header far too large", "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        + "y".repeat(40_000) + "\r\nConnection: close\r\n\r\n", 431, "headers_too_large"));
    rows.add(Arguments.of("unsupported body type", post(m, "image/png", "PNG"), 415, "unsupported_media_type"));
    rows.add(Arguments.of("broken json body", post(m, "application/json", "{\"a\":"), 400, "bad_json"));
    rows.add(Arguments.of("empty text body", post(m, "text/plain", ""), 400, "missing_message"));
    rows.add(Arguments.of("body over the limit", post(m, "text/plain", "z".repeat(70_000)), 413, "message_too_large"));
    rows.add(Arguments.of("body far over the request limit", post(m, "text/plain", "z".repeat(300_000)), 413, "message_too_large"));
    rows.add(Arguments.of("form without message", post(m, "application/x-www-form-urlencoded", "msg=1"), 400, "missing_message"));
    rows.add(Arguments.of("connect with broken json", post("/connect", "application/json", "{{"), 400, "bad_json"));
    rows.add(Arguments.of("connect with array json", post("/connect", "application/json", "[]"), 400, "bad_json"));
    rows.add(Arguments.of("connect with nested field", post("/connect", "application/json", "{\"channel\":[1]}"), 400, "bad_json"));
    rows.add(Arguments.of("connect with key but no client", post("/connect", "application/json", "{\"key\":\"abc\"}"), 400, "bad_client"));
    rows.add(Arguments.of("connect with unknown client", post("/connect", "application/json",
        "{\"client\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"key\":\"abc\"}"), 403, "wrong_key"));
    rows.add(Arguments.of("connect with bad channel", post("/connect", "application/json", "{\"channel\":\"\\u0000\"}"), 400, "bad_channel"));
    rows.add(Arguments.of("connect via plain GET", get("/connect"), 405, "method_not_allowed"));
    rows.add(Arguments.of("poll without anything", get("/poll"), 400, "bad_client"));
    rows.add(Arguments.of("poll without key", get("/poll?client=" + c.client() + "&channel=" + c.channel()), 401, "missing_key"));
    rows.add(Arguments.of("poll with empty bearer", "GET /poll?client=" + c.client() + "&channel=" + c.channel()
        + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \r\nConnection: close\r\n\r\n", 401, "missing_key"));
    rows.add(Arguments.of("poll with garbage cursor", get("/poll?" + auth + "&cursor=%00%01"), 400, "bad_cursor"));
    rows.add(Arguments.of("poll with huge timeout", get("/poll?" + auth + "&timeout=99999999999999999999"), 400, "bad_timeout"));
    rows.add(Arguments.of("poll with float timeout", get("/poll?" + auth + "&timeout=1.5"), 400, "bad_timeout"));
    rows.add(Arguments.of("poll with script callback", get("/poll?" + auth + "&callback=alert(document.cookie)"), 400, "bad_callback"));
    rows.add(Arguments.of("poll with bad client", get("/poll?client=../../etc&channel=a&key=k"), 400, "bad_client"));
    rows.add(Arguments.of("wrong method on poll", post("/poll?" + auth, "text/plain", "x"), 405, "method_not_allowed"));
    rows.add(Arguments.of("DELETE an address", "DELETE " + m + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 405, "method_not_allowed"));
    rows.add(Arguments.of("PUT connect", "PUT /connect HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 405, "method_not_allowed"));
    rows.add(Arguments.of("event variable name too short", get("/ev/abc"), 400, "bad_name"));
    rows.add(Arguments.of("event variable bad timeout", get("/ev/abcdefghijklmnopqrstuvwxyz?timeout=x"), 400, "bad_timeout"));
    rows.add(Arguments.of("path traversal", get("/m/../../etc/passwd"), 400, "bad_request"));
    rows.add(Arguments.of("bad request line", "GARBAGE\r\n\r\n", 400, "bad_request"));
    rows.add(Arguments.of("http/1.1 without host", "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "bad_request"));
    rows.add(Arguments.of("bad content-length", "POST " + m + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: abc\r\nConnection: close\r\n\r\nhi", 400, "bad_request"));
    rows.add(Arguments.of("callback on an error with bad name", get(m + "?callback=%3Cscript%3E"), 400, "bad_callback"));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void isAnsweredWithAClearErrorNeverA5xx(String name, String request, int status, String code) throws Exception {
    RawHttp.Raw answer = RawHttp.exchange(relay.port(), request);
    assertTrue(answer.status() > 0 && answer.status() < 500, name + " answered " + answer.text());
    assertEquals(status, answer.status(), name + ": " + answer.text());
    assertFalse(answer.text().contains("Exception") || answer.text().contains("\tat "), "stack trace leaked: " + answer.text());
    assertFalse(answer.text().contains("<html"), "an HTML error page: " + answer.text());
    if (code != null) {
      JsonNode json = JSON.readTree(answer.body());
      assertEquals(code, json.get("error").asText(), name + ": " + answer.body());
      assertTrue(json.get("message").asText().length() > 5);
    }
  }

  @Test
  void tableIsLargeEnough() {
    assertTrue(requests().count() >= 30);
  }
}
