package dev.addressable.relay.http.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RawHttp.Raw;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the tests of the relay's own HTTP/1.1 connection share: a relay, raw sockets to it, the
 * requests they write, and the {@code /metrics} counters that tell which path served a request
 * ({@code addressable_http_fast_requests_total}, {@code addressable_http_handovers_total}).
 */
abstract class HotSocketTests {


  static final ObjectMapper JSON = new ObjectMapper();
  /** Jetty's input buffer size: the most a {@link HotConnection} reads before handing over. */
  static final int READ_BUFFER = 8192;
  /** The relay's default {@code max-url-length}. */
  static final int MAX_URL_LENGTH = 16384;
  /** A request Jetty serves, not the relay's own connection. */
  static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  /** The two counters at one moment. */
  record Counters(long fast, long handOvers) {

    /**
     * What was counted after {@code before}, not counting the hand-over of the {@code /metrics}
     * request that read these counters (each reading is one request Jetty serves).
     */
    Counters since(Counters before) {
      return new Counters(fast - before.fast, handOvers - before.handOvers - 1);
    }
  }

  static Counters counters() throws IOException {
    Raw metrics = RawHttp.exchange(relay.port(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(200, metrics.status(), metrics.text());
    return new Counters(counter(metrics.body(), "addressable_http_fast_requests_total"),
        counter(metrics.body(), "addressable_http_handovers_total"));
  }

  static long counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
    assertTrue(m.find(), name + " not in " + metrics);
    return Long.parseLong(m.group(1));
  }

  static Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", relay.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  static void write(Socket socket, String bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static Raw read(Socket socket) throws IOException {
    return RawHttp.readOne(socket.getInputStream());
  }

  static String path(Connection c) {
    return "/m/" + c.client() + "/" + c.channel();
  }

  static String send(Connection c, String message) {
    return send(c, message, "");
  }

  static String send(Connection c, String message, String headers) {
    return "GET " + path(c) + "?message=" + RelayClient.enc(message) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }

  static String poll(Connection c, String cursor, int timeoutSeconds) {
    return "GET /poll?client=" + c.client() + "&channel=" + c.channel() + "&cursor=" + RelayClient.enc(cursor)
        + "&timeout=" + timeoutSeconds + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.key() + "\r\n\r\n";
  }

  static JsonNode json(Raw answer) throws IOException {
    return JSON.readTree(answer.body());
  }

  /** The data of a poll answer's messages, after checking it is a 200. */
  static List<String> data(Raw answer) throws IOException {
    assertEquals(200, answer.status(), answer.text());
    List<String> out = new ArrayList<>();
    json(answer).get("messages").forEach(m -> out.add(m.get("data").asText()));
    return out;
  }

  /** Polls from {@code c}'s first cursor on {@code socket}, and checks what is waiting there. */
  static void assertWaiting(Socket socket, Connection c, String... messages) throws IOException {
    write(socket, poll(c, c.cursor(), 0));
    assertEquals(List.of(messages), data(read(socket)));
  }

  static void assertSent(Raw answer, long seq, int delivered) throws IOException {
    assertEquals(202, answer.status(), answer.text());
    assertEquals(seq, json(answer).get("seq").asLong(), answer.body());
    assertEquals(delivered, json(answer).get("delivered").asInt(), answer.body());
  }

  /** Header names (lower case) and their values, without the status line. */
  static Map<String, List<String>> headers(Raw answer) {
    String head = answer.text().substring(0, answer.text().indexOf("\r\n\r\n"));
    Map<String, List<String>> headers = new TreeMap<>();
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), name -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  static void awaitParkedPolls(Connection c, int count) {
    Await.until("the poll parked", Duration.ofSeconds(5),
        () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())) >= count);
  }
}
