package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.get;
import static dev.addressable.relay.hostile.RawRequests.truncated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.hostile.CorpusRows.Fixture;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>The rows live by area in {@link ConnectRows}, {@link PollRows}, {@link SendRows},
 * {@link TopicRows}, {@link EventAndAckRows}, {@link LeaveRows}, {@link StatusAndStreamRows},
 * {@link OperationRows} and {@link FramingRows}; {@link CarefulAnswer} holds the checks every
 * answer must pass.
 */
@Timeout(30)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedCorpusTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  /** The channel most rows aim at: it holds messages from seq 1 on and follows a topic. */
  private Connection c;
  private List<Row> corpus;
  /** The framing variants by name, each sent along three paths (see {@link FramingRows}). */
  private Map<String, FramingRows.Variant> variants;
  /** What each row got: its answer, or why there was none. Read by {@link #fastPathAndJettyAgree}. */
  private final Map<String, Object> outcomes = new ConcurrentHashMap<>();

  @BeforeAll
  void prepare() {
    RelayClient http = relay.http();
    c = http.connect();
    String epoch = c.cursor().substring(0, c.cursor().indexOf('.'));
    http.connect(c, "second");
    for (int i = 1; i <= 3; i++) {
      assertEquals(202, http.sendGet(c.url(), "m" + i).status());
    }
    RelayClient.Answer topic = http.post("/topics", null, null);
    assertEquals(201, topic.status(), topic.body());
    String topicId = topic.json().get("topic").asText();
    URI url = URI.create(topic.json().get("url").asText());
    String publish = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    String subscribeKey = topic.json().get("subscribeKey").asText();
    RelayClient.Answer subscribed = http.post("/subscribe", "application/json", "{\"client\":\"" + c.client()
        + "\",\"key\":\"" + c.key() + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + topicId
        + "\",\"subscribeKey\":\"" + subscribeKey + "\"}");
    assertEquals(200, subscribed.status(), subscribed.body());
    String topicCursor = http.poll(c, null, 0).json().get("cursor").asText();
    assertTrue(topicCursor.contains("~" + topicId + "."), topicCursor);
    String unsetEvent = "unset_" + UUID.randomUUID().toString().replace("-", "");
    String setEvent = "set_" + UUID.randomUUID().toString().replace("-", "");
    assertEquals(200, http.post("/ev/" + setEvent, null, null).status());
    corpus = build(new Fixture(c, epoch, topicCursor, topicId, publish, subscribeKey, unsetEvent, setEvent));
  }

  /** Every area's rows, in an order that rows which change the fixture (a set variable) rely on. */
  private List<Row> build(Fixture fixture) {
    List<Row> rows = new ArrayList<>();
    FramingRows framing = new FramingRows(fixture);
    for (CorpusRows area : List.of(new ConnectRows(fixture), new PollRows(fixture), new SendRows(fixture),
        new TopicRows(fixture), new EventAndAckRows(fixture), new LeaveRows(fixture), new StatusAndStreamRows(fixture),
        new OperationRows(fixture), framing)) {
      area.addTo(rows);
    }
    variants = framing.variants();
    return rows;
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
    CarefulAnswer.check(row, exchange(row));
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
}
