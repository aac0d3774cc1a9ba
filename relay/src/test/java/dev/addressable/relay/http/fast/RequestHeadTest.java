package dev.addressable.relay.http.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strict head parser of {@link HotConnection}: the simple forms it takes, and a table of forms
 * it must leave to Jetty (valid or not), for which it returns {@code null}.
 */
class RequestHeadTest {

  private static final String HOST = "Host: localhost\r\n";

  private static byte[] bytes(String head) {
    return head.getBytes(StandardCharsets.ISO_8859_1); // one byte per char, as sent
  }

  /** Parses a whole head, checking first that {@link RequestHead#end} finds its end where it ends. */
  private static RequestHead parse(String head) {
    byte[] bytes = bytes(head);
    int end = RequestHead.end(bytes, 0, bytes.length);
    assertEquals(bytes.length, end, "end of " + head);
    return RequestHead.parse(bytes, 0, end);
  }

  private static String get(String target, String headers) {
    return "GET " + target + " HTTP/1.1\r\n" + headers + "\r\n";
  }

  @Test
  void splitsPathFromQuery() {
    RequestHead head = parse(get("/poll?client=abc&channel=main&cursor=%41", HOST));
    assertEquals("/poll", head.path());
    assertEquals("client=abc&channel=main&cursor=%41", head.query());
    assertNull(head.authorization());
    assertFalse(head.close());
  }

  @Test
  void takesAPathWithoutQuery() {
    RequestHead head = parse(get("/m/AAAAAAAAAAAAAAAAAAAAAA/main", HOST));
    assertEquals("/m/AAAAAAAAAAAAAAAAAAAAAA/main", head.path());
    assertNull(head.query());
  }

  @Test
  void takesAnEmptyQuery() {
    RequestHead head = parse(get("/poll?", HOST));
    assertEquals("/poll", head.path());
    assertEquals("", head.query());
  }

  @Test
  void keepsATrailingSlash() {
    assertEquals("/poll/", parse(get("/poll/?timeout=0", HOST)).path());
    assertEquals("/m/client-_~9/tab/", parse(get("/m/client-_~9/tab/", HOST)).path());
  }

  @Test
  void keepsTheAuthorizationHeaderTrimmed() {
    RequestHead head = parse(get("/poll", HOST + "Authorization: \t Bearer secret-key \t\r\n"));
    assertEquals("Bearer secret-key", head.authorization());
  }

  @Test
  void readsHeaderNamesWhateverTheirCase() {
    RequestHead head = parse(get("/poll", "hOsT: localhost\r\nAUTHORIZATION: Bearer k\r\nconnection: CLOSE\r\n"));
    assertEquals("Bearer k", head.authorization());
    assertTrue(head.close());
  }

  @Test
  void acceptsAZeroContentLength() {
    assertNotNull(parse(get("/poll", HOST + "Content-Length: 0\r\n")));
  }

  @Test
  void acceptsHostsOfThePlainForms() {
    for (String host : new String[] {"localhost", "relay.example.com", "127.0.0.1:8080", "[::1]", "[::1]:8080",
        "xn--bcher-kva.example:443"}) {
      assertNotNull(parse(get("/poll", "Host: " + host + "\r\n")), host);
    }
  }

  @Test
  void closesWhenTheClientAsks() {
    assertTrue(parse(get("/poll", HOST + "Connection: close\r\n")).close());
    assertTrue(parse(get("/poll", HOST + "Connection: keep-alive, close\r\n")).close());
    assertTrue(parse(get("/poll", HOST + "Connection: CLOSE\r\n")).close());
    assertFalse(parse(get("/poll", HOST + "Connection: keep-alive\r\n")).close());
    assertFalse(parse(get("/poll", HOST + "Connection: closed, x-close-not\r\n")).close(), "whole tokens only");
  }

  @Test
  void ignoresHeadersItDoesNotLookAt() {
    RequestHead head = parse(get("/poll?x=1", "User-Agent: test/1.0 (like nothing)\r\n" + HOST
        + "Accept: */*\r\nX-Empty:\r\nAccept-Encoding: gzip, deflate\r\nCookie: a=b; c=d\r\n"
        + "Referer: http://example.test/page?q=1\r\n"));
    assertEquals("/poll", head.path());
    assertEquals("x=1", head.query());
  }

  @Test
  void parsesAHeadThatStartsInsideTheBuffer() {
    String first = get("/m/a/b?message=1", HOST);
    String second = get("/poll?client=abc", HOST + "Authorization: Bearer k\r\n");
    byte[] bytes = bytes(first + second);
    int firstEnd = RequestHead.end(bytes, 0, bytes.length);
    assertEquals(first.length(), firstEnd);
    int secondEnd = RequestHead.end(bytes, firstEnd, bytes.length);
    assertEquals(bytes.length, secondEnd);
    assertEquals("/m/a/b", RequestHead.parse(bytes, 0, firstEnd).path());
    RequestHead head = RequestHead.parse(bytes, firstEnd, secondEnd);
    assertEquals("/poll", head.path());
    assertEquals("client=abc", head.query());
    assertEquals("Bearer k", head.authorization());
  }

  @Test
  void findsNoEndInAnIncompleteHead() {
    String whole = get("/poll", HOST);
    byte[] bytes = bytes(whole);
    for (int to = 0; to < bytes.length; to++) {
      assertEquals(-1, RequestHead.end(bytes, 0, to), "end within the first " + to + " bytes");
    }
    byte[] bareLf = bytes("GET /poll HTTP/1.1\nHost: localhost\n\n");
    assertEquals(RequestHead.NOT_SIMPLE, RequestHead.end(bareLf, 0, bareLf.length),
        "a bare LF goes to Jetty at once, which answers it, rather than waiting for a CRLF that never comes");
    assertEquals(-1, RequestHead.end(bytes("\r\n\r"), 0, 3));
  }

  @Test
  void findsTheEndJustPastTheBlankLine() {
    String first = get("/poll", HOST);
    assertEquals(first.length(), RequestHead.end(bytes(first), 0, first.length()));
    String pipelined = first + get("/m/a?message=x", HOST);
    assertEquals(first.length(), RequestHead.end(bytes(pipelined), 0, pipelined.length()), "only the first head");
    String withPartOfNext = first + "GET /m/a?mess";
    assertEquals(first.length(), RequestHead.end(bytes(withPartOfNext), 0, withPartOfNext.length()));
    assertEquals(4, RequestHead.end(bytes("\r\n\r\n"), 0, 4));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("POST", "POST /poll HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n"),
        Arguments.of("HEAD", "HEAD /m/a HTTP/1.1\r\n" + HOST + "\r\n"),
        Arguments.of("lower-case method", "get /poll HTTP/1.1\r\n" + HOST + "\r\n"),
        Arguments.of("HTTP/1.0", "GET /poll HTTP/1.0\r\n" + HOST + "\r\n"),
        Arguments.of("HTTP/2 version", "GET /poll HTTP/2.0\r\n" + HOST + "\r\n"),
        Arguments.of("two spaces after the method", "GET  /poll HTTP/1.1\r\n" + HOST + "\r\n"),
        Arguments.of("no target", "GET  HTTP/1.1\r\n" + HOST + "\r\n"),
        Arguments.of("percent escape in the path", get("/m/%41bc/tab", HOST)),
        Arguments.of("dot segment", get("/m/../poll", HOST)),
        Arguments.of("single dot segment", get("/m/./a", HOST)),
        Arguments.of("empty segment", get("/m//tab", HOST)),
        Arguments.of("leading double slash", get("//poll", HOST)),
        Arguments.of("fragment in the path", get("/poll#x", HOST)),
        Arguments.of("fragment in the query", get("/poll?a=1#x", HOST)),
        Arguments.of("space in the target", "GET /poll?a=b c HTTP/1.1\r\n" + HOST + "\r\n"),
        Arguments.of("tab in the target", get("/poll?a=\tb", HOST)),
        Arguments.of("control byte in the path", get("/po\u0001ll", HOST)),
        Arguments.of("control byte in the query", get("/poll?a=\u0001", HOST)),
        Arguments.of("DEL in the query", get("/poll?a=\u007f", HOST)),
        Arguments.of("non-ASCII byte in the path", get("/m/caf\u00e9", HOST)),
        Arguments.of("non-ASCII byte in the query", get("/poll?a=caf\u00e9", HOST)),
        Arguments.of("absolute-form target", get("http://localhost/poll", HOST)),
        Arguments.of("asterisk-form target", get("*", HOST)),
        Arguments.of("target without leading slash", get("poll", HOST)),
        Arguments.of("Transfer-Encoding", get("/poll", HOST + "Transfer-Encoding: chunked\r\n")),
        Arguments.of("Content-Length: 5", get("/poll", HOST + "Content-Length: 5\r\n")),
        Arguments.of("Content-Length: 00", get("/poll", HOST + "Content-Length: 00\r\n")),
        Arguments.of("Expect", get("/poll", HOST + "Expect: 100-continue\r\n")),
        Arguments.of("Upgrade", get("/poll", HOST + "Upgrade: websocket\r\n")),
        Arguments.of("Connection: Upgrade", get("/poll", HOST + "Connection: keep-alive, Upgrade\r\n")),
        Arguments.of("folded header line", get("/poll", HOST + "X-Long: one\r\n two\r\n")),
        Arguments.of("folded header line with a colon", get("/poll", HOST + "X-Long: one\r\n\ttwo: three\r\n")),
        Arguments.of("header line without colon", get("/poll", HOST + "X-Nothing\r\n")),
        Arguments.of("header line without name", get("/poll", HOST + ": value\r\n")),
        Arguments.of("space before the colon", get("/poll", HOST + "X-Name : value\r\n")),
        Arguments.of("space before the colon of Host", get("/poll", "Host : localhost\r\n")),
        Arguments.of("separator in a header name", get("/poll", HOST + "X(y): z\r\n")),
        Arguments.of("no Host", get("/poll", "Accept: */*\r\n")),
        Arguments.of("no header at all", get("/poll", "")),
        Arguments.of("two Hosts", get("/poll", HOST + HOST)),
        Arguments.of("a Host with a space", get("/poll", "Host: exa mple\r\n")),
        Arguments.of("a Host with an unclosed IPv6 bracket", get("/poll", "Host: [::1\r\n")),
        Arguments.of("a Host that is only a port", get("/poll", "Host: :80\r\n")),
        Arguments.of("an empty Host", get("/poll", "Host:\r\n")),
        Arguments.of("a Host with a port of letters", get("/poll", "Host: localhost:http\r\n")),
        Arguments.of("two Content-Length: 0", get("/poll", HOST + "Content-Length: 0\r\nContent-Length: 0\r\n")),
        Arguments.of("two Authorization headers", get("/poll", HOST + "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n")),
        Arguments.of("bare LF after the request line", "GET /poll HTTP/1.1\n" + HOST + "\r\n"),
        Arguments.of("bare LF ending a header line", get("/poll", "Accept: */*\n" + HOST)),
        Arguments.of("bare CR in a header line", get("/poll", HOST + "X-A: b\rc\r\n")),
        Arguments.of("control byte in a header value", get("/poll", HOST + "X-A: b\u0000c\r\n")),
        Arguments.of("DEL in a header value", get("/poll", HOST + "X-A: b\u007fc\r\n")),
        Arguments.of("control byte in the Authorization value", get("/poll", HOST + "Authorization: Bearer \u0001\r\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void leavesEveryOtherFormToJetty(String name, String head) {
    byte[] bytes = bytes(head);
    int end = RequestHead.end(bytes, 0, bytes.length);
    if (end == RequestHead.NOT_SIMPLE) {
      assertTrue(head.replace("\r\n", "").matches("(?s).*[\r\n].*"), name + ": only a bare LF or CR is not simple");
      return; // handed to Jetty before it is parsed
    }
    assertEquals(bytes.length, end, name + ": the head must be whole, else the table tests nothing");
    assertNull(RequestHead.parse(bytes, 0, end), name);
  }
}
