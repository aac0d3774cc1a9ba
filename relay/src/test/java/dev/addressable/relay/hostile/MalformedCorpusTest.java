package dev.addressable.relay.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed, hostile and odd requests, sent as raw bytes over loopback to a real relay,
 * one socket each, covering every endpoint of the README. Each row names the answer a careful
 * relay gives (docs/protocol.md, and Jetty's own answer where the request is a matter of
 * HTTP framing), not necessarily today's.
 *
 * <p>Every row: the answer must come within {@value RawExchange#TIMEOUT_MILLIS} ms; a 5xx only
 * where the row allows one (505 for an HTTP version, with a JSON body that is not
 * {@code internal_error}); an error is the protocol's {@code {"error","message"}} JSON with no
 * stack trace and no HTML.
 *
 * <p>Framing variants are sent three times: as {@code GET /poll} and as a {@code GET} send, both of
 * which the relay's own fast path parses ({@code HotConnection}), and as {@code GET /health},
 * which Jetty's parser and Javalin serve. {@link #fastPathAndJettyAgree} then checks that both
 * parsers put each variant in the same status class. {@link #slowBodiesLeaveTheRelayAnswering}
 * checks that request bodies that never finish arriving do not starve everything else.
 */
@Timeout(30)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedCorpusTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRLF = "\r\n";

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  /** The channel most rows aim at: it holds messages from seq 1 on and follows {@link #topicId}. */
  private Connection c;
  private String epoch;
  /** The channel's cursor once it follows the topic: {@code <epoch>.<seq>~<topic>.<epoch>.<seq>}. */
  private String topicCursor;
  private String topicId;
  /** The path (and query, if any) of the topic's publish URL, as {@code POST /topics} handed it out. */
  private String publish;
  private String subscribeKey;
  private String unsetEvent;
  private String setEvent;
  private List<Row> corpus;
  private final Map<String, Variant> variants = new LinkedHashMap<>();
  /** What each row got: its answer, or why there was none. Read by {@link #fastPathAndJettyAgree}. */
  private final Map<String, Object> outcomes = new ConcurrentHashMap<>();

  @BeforeAll
  void prepare() {
    RelayClient http = relay.http();
    c = http.connect();
    epoch = c.cursor().substring(0, c.cursor().indexOf('.'));
    http.connect(c, "second");
    for (int i = 1; i <= 3; i++) {
      assertEquals(202, http.sendGet(c.url(), "m" + i).status());
    }
    RelayClient.Answer topic = http.post("/topics", null, null);
    assertEquals(201, topic.status(), topic.body());
    topicId = topic.json().get("topic").asText();
    URI url = URI.create(topic.json().get("url").asText());
    publish = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    subscribeKey = topic.json().get("subscribeKey").asText();
    RelayClient.Answer subscribed = http.post("/subscribe", "application/json", "{\"client\":\"" + c.client()
        + "\",\"key\":\"" + c.key() + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + topicId
        + "\",\"subscribeKey\":\"" + subscribeKey + "\"}");
    assertEquals(200, subscribed.status(), subscribed.body());
    topicCursor = http.poll(c, null, 0).json().get("cursor").asText();
    assertTrue(topicCursor.contains("~" + topicId + "."), topicCursor);
    unsetEvent = "unset_" + UUID.randomUUID().toString().replace("-", "");
    setEvent = "set_" + UUID.randomUUID().toString().replace("-", "");
    assertEquals(200, http.post("/ev/" + setEvent, null, null).status());
    corpus = build();
  }

  Stream<Arguments> corpus() {
    return corpus.stream().map(row -> Arguments.of(Named.of(row.name(), row)));
  }

  Stream<Arguments> variants() {
    return variants.keySet().stream().map(Arguments::of);
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isAnsweredAsACarefulRelayWould(Row row) throws IOException {
    check(row, exchange(row));
  }

  @Order(2)
  @ParameterizedTest(name = "framing agrees: {0}")
  @MethodSource("variants")
  void fastPathAndJettyAgree(String variant) throws IOException {
    Row jetty = find(variant + " [jetty GET /health]");
    String jettyClass = statusClass(jetty, outcome(jetty));
    for (String fast : List.of(" [fast GET /poll]", " [fast GET send]")) {
      Row row = find(variant + fast);
      String fastClass = statusClass(row, outcome(row));
      assertEquals(jettyClass, fastClass, variant + ": the fast path's parser and Jetty's disagree — "
          + row.name() + " got " + fastClass + ", " + jetty.name() + " got " + jettyClass);
    }
  }

  /**
   * Request bodies that trickle in (a head and part of the body, then nothing: the socket stays
   * open) must not take the worker threads every other request needs: with more of them open than
   * the relay has threads, {@code GET /health} still answers at once. Runs last: until its
   * sockets close, a relay with the fault has no thread left for the rows.
   */
  @Order(3)
  @Test
  void slowBodiesLeaveTheRelayAnswering() throws IOException {
    int slowBodies = RelayConfig.defaults().server().maxThreads() + 16;
    String m = "/m/" + c.client() + "/" + c.channel();
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < slowBodies; i++) {
        Socket socket = new Socket("127.0.0.1", relay.port());
        open.add(socket);
        socket.getOutputStream().write(i % 2 == 0
            ? truncated("/connect", "application/json", "{\"chan", 1_000)
            : truncated(m, "text/plain", "hel", 1_000));
        socket.getOutputStream().flush();
      }
      long end = System.nanoTime() + 1_000_000_000L; // probe for a second, while the slow bodies are read
      for (int probe = 0; probe < 50 && (probe == 0 || System.nanoTime() < end); probe++) {
        RawHttp.Raw health;
        try {
          health = RawExchange.send(relay.port(), get("/health"), false);
        } catch (AssertionError starved) {
          throw new AssertionError("GET /health (probe " + probe + ") got " + starved.getMessage() + " while " + slowBodies
              + " POST bodies trickled in: each slow body holds a worker thread", starved);
        }
        assertEquals(200, health.status(), "GET /health while bodies trickle in: " + health.text());
      }
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  @Test
  void corpusHasAtLeast250RowsWithDistinctNames() {
    assertTrue(corpus.size() >= 250, "only " + corpus.size() + " rows");
    Set<String> names = new HashSet<>();
    for (Row row : corpus) {
      assertTrue(names.add(row.name()), "two rows named " + row.name());
    }
  }

  // ---------------------------------------------------------------- rows

  /** One request of the corpus and the answer it should get. */
  record Row(String name, byte[] request, boolean halfClose, Expect expect) {
    @Override
    public String toString() {
      return name;
    }

    String summary() {
      String text = new String(request, StandardCharsets.ISO_8859_1);
      int eol = text.indexOf('\n');
      String first = eol < 0 ? text : text.substring(0, eol);
      return RawExchange.abbreviate(first.length() > 160 ? first.substring(0, 160) + "…" : first)
          + " (" + request.length + " bytes" + (halfClose ? ", then half-closed" : "") + ")";
    }
  }

  /** What a row should get. */
  record Expect(Set<Integer> statuses, Set<String> codes, Kind kind, String contains) {

    enum Kind { ERROR, SCRIPT, OK }

    /** A JSON error with {@code status} and one of {@code codes} (any code if none are given). */
    static Expect error(int status, String... codes) {
      return new Expect(Set.of(status), Set.of(codes), Kind.ERROR, null);
    }

    /** A JSON error with one of {@code statuses}, for rows where more than one answer is right. */
    static Expect errorIn(Set<Integer> statuses, String... codes) {
      return new Expect(statuses, Set.of(codes), Kind.ERROR, null);
    }

    /** A 2xx, whose body holds {@code contains} if that is not {@code null}. */
    static Expect ok(int status, String contains) {
      return new Expect(Set.of(status), Set.of(), Kind.OK, contains);
    }

    /** Any 2xx: the request was accepted and served. */
    static Expect accepted() {
      return new Expect(Set.of(200, 201, 202, 204), Set.of(), Kind.OK, null);
    }

    /** A JSONP error: a 200 script {@code /**}{@code /fn({...,"error":code,...,"status":status})}. */
    static Expect script(String code, int status) {
      return new Expect(Set.of(200), Set.of(code), Kind.SCRIPT, "\"status\":" + status);
    }

    /** Either of two expectations' statuses and codes, checked as errors or acceptance by status. */
    Expect or(Expect other) {
      Set<Integer> s = new TreeSet<>(statuses);
      s.addAll(other.statuses);
      Set<String> k = new TreeSet<>(codes);
      k.addAll(other.codes);
      return new Expect(s, k, kind == Kind.OK ? other.kind : kind, contains);
    }

    @Override
    public String toString() {
      return new TreeSet<>(statuses) + (codes.isEmpty() ? "" : " " + new TreeSet<>(codes))
          + (kind == Kind.SCRIPT ? " as a JSONP script" : "") + (contains == null ? "" : " holding " + contains);
    }
  }

  private Row find(String name) {
    return corpus.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name));
  }

  private RawHttp.Raw exchange(Row row) throws IOException {
    try {
      RawHttp.Raw answer = RawExchange.send(relay.port(), row.request(), row.halfClose());
      outcomes.put(row.name(), answer);
      return answer;
    } catch (AssertionError none) {
      outcomes.put(row.name(), none.getMessage());
      throw new AssertionError(row.name() + ": " + row.summary() + " — expected " + row.expect() + ", got "
          + none.getMessage(), none);
    }
  }

  /** The row's answer as {@link #isAnsweredAsACarefulRelayWould} got it, or a fresh one if it has not run. */
  private Object outcome(Row row) throws IOException {
    Object known = outcomes.get(row.name());
    if (known != null) {
      return known;
    }
    try {
      return exchange(row);
    } catch (AssertionError none) {
      return outcomes.get(row.name());
    }
  }

  /** {@code 2xx}, {@code 4xx}…; a row without an answer cannot agree with anything. */
  private static String statusClass(Row row, Object outcome) {
    if (outcome instanceof RawHttp.Raw raw) {
      return raw.status() / 100 + "xx";
    }
    throw new AssertionError(row.name() + " has no status to compare: " + outcome);
  }

  private static void check(Row row, RawHttp.Raw answer) {
    Expect expect = row.expect();
    String context = row.name() + ": " + row.summary() + " — expected " + expect + ", got " + answer.status()
        + " " + RawExchange.abbreviate(answer.text());
    if (answer.status() >= 400) {
      String text = answer.text();
      assertTrue(!text.contains("Exception") && !text.contains("\tat ") && !text.contains("at org.")
          && !text.contains("at java."), "a stack trace leaked: " + context);
      assertTrue(!text.toLowerCase(Locale.ROOT).contains("<html") && !text.toLowerCase(Locale.ROOT).contains("<!doctype"),
          "an HTML page: " + context);
    }
    if (!expect.statuses().contains(answer.status())) {
      fail(answer.status() >= 500 ? "a 5xx: " + context : context);
    }
    assertEquals("*", RawExchange.header(answer, "Access-Control-Allow-Origin"),
        "every answer is readable cross-origin: " + context);
    assertEquals("nosniff", RawExchange.header(answer, "X-Content-Type-Options"), "every answer says nosniff: " + context);
    boolean head = new String(row.request(), 0, Math.min(5, row.request().length), StandardCharsets.ISO_8859_1)
        .equals("HEAD ");
    switch (expect.kind()) {
      case ERROR -> {
        if (!head && answer.status() >= 400) {
          checkError(answer, expect, context);
        }
      }
      case SCRIPT -> {
        String type = String.valueOf(RawExchange.header(answer, "Content-Type"));
        assertTrue(type.startsWith("application/javascript"), "not a script: " + context);
        String body = answer.body();
        assertTrue(body.startsWith("/**/") && body.endsWith(");"), "not a JSONP call: " + context);
        JsonNode json = parse(body.substring(body.indexOf('(') + 1, body.length() - 2), context);
        assertTrue(expect.codes().contains(json.path("error").asText()), "wrong error code: " + context);
        assertTrue(body.contains(expect.contains()), "wrong status in the script: " + context);
      }
      case OK -> {
        if (expect.contains() != null) {
          assertTrue(answer.body().contains(expect.contains()), "unexpected body: " + context);
        }
      }
    }
  }

  /** The protocol's error form: JSON {@code {"error","message"}} and nothing else, never {@code internal_error}. */
  private static void checkError(RawHttp.Raw answer, Expect expect, String context) {
    String type = String.valueOf(RawExchange.header(answer, "Content-Type"));
    assertTrue(type.startsWith("application/json"), "an error that is not JSON: " + context);
    JsonNode json = parse(answer.body(), context);
    assertTrue(json.isObject() && json.path("error").isTextual() && json.path("message").isTextual(),
        "not {\"error\",\"message\"}: " + context);
    Set<String> fields = new TreeSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(Set.of("error", "message"), fields, "fields other than error and message: " + context);
    String code = json.get("error").asText();
    assertTrue(!code.equals("internal_error"), "labelled internal_error: " + context);
    assertTrue(expect.codes().isEmpty() || expect.codes().contains(code), "wrong error code: " + context);
    assertTrue(json.get("message").asText().length() > 10, "no sentence in the message: " + context);
  }

  private static JsonNode parse(String text, String context) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + context, e);
    }
  }

  // ---------------------------------------------------------------- requests

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A request with {@code Host}, the {@code extra} header lines, and {@code Connection: close}. */
  private static byte[] request(String method, String target, byte[] body, String... extra) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1").append(CRLF)
        .append("Host: localhost").append(CRLF);
    for (String line : extra) {
      head.append(line).append(CRLF);
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append(CRLF);
    }
    head.append("Connection: close").append(CRLF).append(CRLF);
    byte[] h = bytes(head.toString());
    byte[] all = Arrays.copyOf(h, h.length + (body == null ? 0 : body.length));
    if (body != null) {
      System.arraycopy(body, 0, all, h.length, body.length);
    }
    return all;
  }

  private static byte[] get(String target, String... extra) {
    return request("GET", target, null, extra);
  }

  private static byte[] post(String target, String type, String body, String... extra) {
    return postBytes(target, type, utf8(body), extra);
  }

  private static byte[] postBytes(String target, String type, byte[] body, String... extra) {
    String[] headers = type == null ? extra : Stream.concat(Stream.of("Content-Type: " + type), Stream.of(extra))
        .toArray(String[]::new);
    return request("POST", target, body, headers);
  }

  /** A POST that declares {@code declared} body bytes and sends only {@code sent}. */
  private static byte[] truncated(String target, String type, String sent, int declared) {
    return bytes("POST " + target + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Content-Type: " + type + CRLF
        + "Content-Length: " + declared + CRLF + "Connection: close" + CRLF + CRLF + sent);
  }

  /** A POST with the given raw body framing headers (no Content-Length added). */
  private static byte[] framed(String target, String type, String framing, String rawBody) {
    return bytes("POST " + target + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Content-Type: " + type + CRLF
        + framing + "Connection: close" + CRLF + CRLF + rawBody);
  }

  private static String object(String... pairs) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
    }
    return out.append('}').toString();
  }

  private static String nested(String open, String close, int depth) {
    return open.repeat(depth) + close.repeat(depth);
  }

  // ---------------------------------------------------------------- the corpus

  /** {@link #topicCursor} with the topic's seq far past its log. */
  private String topicAhead() {
    int dot = topicCursor.lastIndexOf('.');
    return topicCursor.substring(0, dot + 1) + (Long.parseLong(topicCursor.substring(dot + 1)) + 1000);
  }

  private List<Row> build() {
    List<Row> rows = new ArrayList<>();
    connect(rows);
    poll(rows);
    sendGet(rows);
    sendPost(rows);
    head(rows);
    topics(rows);
    events(rows);
    receipts(rows);
    status(rows);
    streams(rows);
    operations(rows);
    preflights(rows);
    framing(rows);
    return rows;
  }

  private static void add(List<Row> rows, String name, byte[] request, Expect expect) {
    rows.add(new Row(name, request, false, expect));
  }

  private static void addHalfClosed(List<Row> rows, String name, byte[] request, Expect expect) {
    rows.add(new Row(name, request, true, expect));
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

  // ---------------------------------------------------------------- framing variants

  /** A request as lines, so that framing variants can bend any part of it. */
  private record Template(String method, String path, String query, String version, List<String> headers, String body) {

    String target() {
      return path + (query == null ? "" : "?" + query);
    }

    Template method(String value) {
      return new Template(value, path, query, version, headers, body);
    }

    Template path(UnaryOperator<String> change) {
      return new Template(method, change.apply(path), query, version, headers, body);
    }

    Template query(UnaryOperator<String> change) {
      return new Template(method, path, change.apply(query), version, headers, body);
    }

    Template version(String value) {
      return new Template(method, path, query, value, headers, body);
    }

    Template header(String line) {
      List<String> more = new ArrayList<>(headers);
      more.add(line);
      return new Template(method, path, query, version, more, body);
    }

    Template without(String name) {
      return new Template(method, path, query, version,
          headers.stream().filter(h -> !h.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList(), body);
    }

    Template replace(String name, String line) {
      return without(name).header(line);
    }

    Template body(String raw) {
      return new Template(method, path, query, version, headers, raw);
    }

    byte[] bytes() {
      return bytes(CRLF);
    }

    /** The request with every line ended by {@code eol}. */
    byte[] bytes(String eol) {
      return bytes(eol, eol, eol);
    }

    /** The request line ended by {@code first}, header lines by {@code fields}, the head by {@code last}. */
    byte[] bytes(String first, String fields, String last) {
      StringBuilder out = new StringBuilder(method).append(' ').append(target()).append(version.isEmpty() ? "" : " ")
          .append(version).append(first);
      for (String line : headers) {
        out.append(line).append(fields);
      }
      out.append(last).append(body);
      return MalformedCorpusTest.bytes(out.toString());
    }
  }

  /** A way to bend a request, and what each request bent so should get. */
  private record Variant(String name, Function<Template, byte[]> bend, Expect expect) {}

  private void variant(String name, Function<Template, byte[]> bend, Expect expect) {
    variants.put(name, new Variant(name, bend, expect));
  }

  private void framing(List<Row> rows) {
    Expect accepted = Expect.accepted();
    Expect bad = Expect.error(400, "bad_request");
    Expect badVersion = Expect.errorIn(Set.of(400, 505));
    Expect badPath = Expect.errorIn(Set.of(400, 404));
    // Jetty's own parser takes bare LF line ends (RFC 9112 allows it) and refuses a bare CR;
    // either answer is fine for LF as long as both paths give it, promptly.
    variant("bare LF line endings", t -> t.bytes("\n"), accepted.or(bad));
    variant("bare CR line endings", t -> t.bytes("\r"), bad);
    variant("CRLF request line, LF header lines", t -> t.bytes(CRLF, "\n", CRLF), accepted.or(bad));
    variant("LF request line, CRLF header lines", t -> t.bytes("\n", CRLF, CRLF), accepted.or(bad));
    variant("a blank line before the request line", t -> concat(bytes(CRLF), t.bytes()), accepted);
    variant("HTTP/1.0", t -> t.version("HTTP/1.0").bytes(), accepted);
    variant("HTTP/1.2", t -> t.version("HTTP/1.2").bytes(), badVersion);
    variant("HTTP/2.0", t -> t.version("HTTP/2.0").bytes(), Expect.errorIn(Set.of(400, 426, 505)));
    variant("HTTP/0.9 request line without a version", t -> t.version("").bytes(), badVersion);
    variant("lower-case version http/1.1", t -> t.version("http/1.1").bytes(), badVersion.or(accepted));
    variant("lower-case method", t -> t.method("get").bytes(), Expect.errorIn(Set.of(400, 405, 501)).or(accepted));
    variant("tab between method and target", t -> bytes(new String(t.bytes(), StandardCharsets.ISO_8859_1)
        .replaceFirst(" ", "\t")), accepted.or(bad));
    variant("two spaces between method and target", t -> t.method("GET ").bytes(), accepted.or(bad));
    variant("space after the version", t -> t.version("HTTP/1.1 ").bytes(), bad);
    variant("absolute-form target", t -> t.path(p -> "http://localhost" + p).bytes(), accepted);
    variant("asterisk target", t -> t.path(p -> "*").query(q -> null).bytes(), Expect.errorIn(Set.of(400, 404, 405)));
    variant("encoded slash %2F in the path", t -> t.path(p -> p + "%2Fx").bytes(), badPath);
    variant("dot segments that resolve", t -> t.path(p -> "/x/.." + p).bytes(), accepted.or(badPath));
    variant("dot segments above the root", t -> t.path(p -> "/../.." + p).bytes(), bad);
    variant("encoded dot segments", t -> t.path(p -> "/x/%2e%2e" + p).bytes(), badPath.or(accepted));
    variant("empty segment //", t -> t.path(p -> "/" + p).bytes(), badPath);
    variant("raw space in the target", t -> t.path(p -> p + " x").bytes(), bad);
    variant("NUL in the target", t -> t.path(p -> p + "\u0000").bytes(), bad);
    variant("control byte 0x01 in the target", t -> t.path(p -> p + "\u0001").bytes(), bad);
    variant("DEL in the target", t -> t.path(p -> p + "\u007f").bytes(), bad);
    variant("byte 0xFF in the target", t -> t.path(p -> p + "\u00ff").bytes(), bad);
    variant("UTF-8 bytes in the query", t -> t.query(q -> (q == null ? "" : q + "&") + "x=\u00c3\u00a9").bytes(),
        bad.or(accepted));
    variant("NUL in a header name", t -> t.header("X-O\u0000dd: v").bytes(), bad);
    variant("control byte in a header name", t -> t.header("X-O\u0001dd: v").bytes(), bad);
    variant("DEL in a header name", t -> t.header("X-O\u007fdd: v").bytes(), bad);
    variant("UTF-8 bytes in a header name", t -> t.header("X-\u00c3\u00a9: v").bytes(), bad);
    variant("NUL in a header value", t -> t.header("X-Odd: a\u0000b").bytes(), bad);
    variant("control byte in a header value", t -> t.header("X-Odd: a\u0001b").bytes(), bad);
    variant("DEL in a header value", t -> t.header("X-Odd: a\u007fb").bytes(), bad);
    variant("UTF-8 bytes in a header value", t -> t.header("X-Odd: caf\u00c3\u00a9").bytes(), accepted);
    variant("space before the colon", t -> t.header("X-Odd : v").bytes(), bad);
    variant("header line without a colon", t -> t.header("X-Odd").bytes(), bad);
    variant("empty header name", t -> t.header(": v").bytes(), bad);
    variant("obs-fold continuation line", t -> t.header("X-Odd: a" + CRLF + " b").bytes(), bad);
    variant("duplicate Host", t -> t.header("Host: localhost").bytes(), bad);
    variant("no Host", t -> t.without("Host").bytes(), bad);
    variant("Host: a b", t -> t.replace("Host", "Host: a b").bytes(), bad);
    variant("Host: [::1", t -> t.replace("Host", "Host: [::1").bytes(), bad);
    variant("Host: :80", t -> t.replace("Host", "Host: :80").bytes(), bad);
    variant("Host: exa mple", t -> t.replace("Host", "Host: exa mple").bytes(), bad);
    variant("Host with a port that is not a number", t -> t.replace("Host", "Host: localhost:http").bytes(), bad);
    variant("duplicate Content-Length: 0", t -> t.header("Content-Length: 0").header("Content-Length: 0").bytes(), bad);
    variant("Content-Length: 0, 0", t -> t.header("Content-Length: 0, 0").bytes(), bad);
    variant("Content-Length: -1", t -> t.header("Content-Length: -1").bytes(), bad);
    variant("Content-Length with Transfer-Encoding: chunked", t -> t.header("Content-Length: 5")
        .header("Transfer-Encoding: chunked").body("0" + CRLF + CRLF).bytes(), bad);
    variant("chunk size not hex", t -> t.header("Transfer-Encoding: chunked").body("zz" + CRLF + "hello" + CRLF + "0" + CRLF
        + CRLF).bytes(), accepted.or(bad));
    variant("chunked, then not chunked last", t -> t.header("Transfer-Encoding: chunked, identity").body("0" + CRLF + CRLF)
        .bytes(), bad);
    variant("Transfer-Encoding: gzip", t -> t.header("Transfer-Encoding: gzip").bytes(), bad);
    variant("Expect: 100-continue", t -> t.header("Expect: 100-continue").bytes(), accepted);
    variant("Upgrade: h2c", t -> t.header("Upgrade: h2c").header("HTTP2-Settings: AAMAAABkAAQAAP__").bytes(),
        accepted.or(bad));
    // 30 KB is past the head limit today (the URL limit + 8 KiB); a relay may take more, if both paths do.
    variant("a head of 30 KB", t -> t.header("X-Pad: " + "p".repeat(30_000)).bytes(),
        Expect.error(431, "headers_too_large").or(accepted));
    variant("a head of 70 KB", t -> t.header("X-Pad: " + "p".repeat(70_000)).bytes(), Expect.error(431, "headers_too_large"));
    variant("200 header lines", t -> {
      Template many = t;
      for (int i = 0; i < 200; i++) {
        many = many.header("X-H" + i + ": v" + i);
      }
      return many.bytes();
    }, accepted);
    variant("a request line over the URL limit", t -> t.query(q -> (q == null ? "" : q + "&") + "pad=" + "u".repeat(17_000))
        .bytes(), Expect.error(414, "uri_too_long"));
    variant("a request line past Jetty's head limit", t -> t.query(q -> (q == null ? "" : q + "&") + "pad="
        + "u".repeat(40_000)).bytes(), Expect.error(414, "uri_too_long"));

    List<String> base = List.of("Host: localhost");
    Template poll = new Template("GET", "/poll", "client=" + c.client() + "&channel=" + c.channel() + "&timeout=0", "HTTP/1.1",
        concat(base, "Authorization: Bearer " + c.key(), "Connection: close"), "");
    Template send = new Template("GET", "/m/" + c.client() + "/" + c.channel(), "message=x", "HTTP/1.1",
        concat(base, "Connection: close"), "");
    Template health = new Template("GET", "/health", null, "HTTP/1.1", concat(base, "Connection: close"), "");
    for (Variant v : variants.values()) {
      add(rows, v.name() + " [fast GET /poll]", v.bend().apply(poll), v.expect());
      add(rows, v.name() + " [fast GET send]", v.bend().apply(send), v.expect());
      add(rows, v.name() + " [jetty GET /health]", v.bend().apply(health), v.expect());
    }
  }

  private static List<String> concat(List<String> base, String... more) {
    return Stream.concat(base.stream(), Stream.of(more)).collect(Collectors.toList());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
