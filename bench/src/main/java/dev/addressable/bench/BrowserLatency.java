package dev.addressable.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Push-to-onmessage latency in a real browser, per transport: a page in headless Chromium receives
 * on one transport forced alone ({@code transports: [name]}), from an origin of its own; the tool
 * pushes one message at a time and reads when the page's onmessage saw it. Prints the medians.
 *
 * <p>Java takes the time right before its GET ({@link Instant#now()}, microseconds); the page takes
 * it first thing in its onmessage handler as {@code performance.timeOrigin + performance.now()}
 * (0.1 ms steps in Chromium). Both count from the same system clock on the same machine;
 * {@code Date.now()} against {@code System.currentTimeMillis()} is printed beside it as a
 * cross-check at 1 ms resolution, split at the message's {@code ts} (when the relay accepted it).
 * Each push waits until the relay holds the tab's receiver (a parked poll or an open stream, from
 * {@code /metrics}), so long-poll is measured waiting, as in use, rather than racing its own next
 * poll. The page reports to the tool with a POST after it took its clocks.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.BrowserLatency [--url http://127.0.0.1:8080]
 *     [--transports websocket,sse,longpoll,jsonp] [--samples 50] [--warmup 10] [--chromium /usr/bin/chromium]</pre>
 *
 * <p>Formerly a test that CI skipped ({@code TransportsTest.measuresPushToOnmessageLatency}); a
 * measurement is not a test, so it runs on demand here. Loopback only; it stops the Chromium it
 * started, by its process handle.
 */
public final class BrowserLatency {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
  private static final long WAIT_MILLIS = 10_000;

  public static void main(String[] args) throws Exception {
    Relay relay = new Relay(Args.get(args, "--url", "http://127.0.0.1:8080"));
    String chromium = Args.get(args, "--chromium", "/usr/bin/chromium");
    int warmup = Integer.parseInt(Args.get(args, "--warmup", "10"));
    int samples = Integer.parseInt(Args.get(args, "--samples", "50"));
    for (String transport : Args.get(args, "--transports", "websocket,sse,longpoll,jsonp").split(",")) {
      measure(relay, chromium, transport.trim(), warmup, samples);
    }
  }

  private static void measure(Relay relay, String chromium, String transport, int warmup, int samples) throws Exception {
    BlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
    HttpServer pages = pageServer(relay.base.toString(), reports);
    Path profile = Files.createTempDirectory("browser-latency");
    Path log = profile.resolve("chromium.log");
    List<String> command = new ArrayList<>(List.of(chromium));
    command.addAll(CHROMIUM_ARGS);
    command.add("--user-data-dir=" + profile);
    command.add("http://127.0.0.1:" + pages.getAddress().getPort() + "/page?transports=" + transport);
    Process browser = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String address = await(reports, r -> r.path("type").asText().equals("state") && r.path("state").asText().equals("open"),
          transport + ": the page's library to open its transport", log).get("url").asText();

      List<Double> precise = new ArrayList<>();
      List<Double> wall = new ArrayList<>();
      List<Double> toRelay = new ArrayList<>();
      List<Double> fromRelay = new ArrayList<>();
      String seenTransport = null;
      for (int i = 1; i <= warmup + samples; i++) {
        awaitReceiverAtRelay(relay);
        String data = "m" + i;
        Instant sent = Instant.now();
        relay.getAsync(address + "?message=" + URLEncoder.encode(data, StandardCharsets.UTF_8)).join();
        JsonNode m = await(reports, r -> r.path("type").asText().equals("message") && r.path("data").asText().equals(data),
            transport + ": onmessage of " + data, log);
        seenTransport = m.path("transport").asText();
        if (i > warmup) {
          long relayTs = m.get("relayTs").asLong();
          long wallMs = m.get("wallMs").asLong();
          precise.add(m.get("preciseMs").asDouble() - (sent.getEpochSecond() * 1e3 + sent.getNano() / 1e6));
          wall.add((double) (wallMs - sent.toEpochMilli()));
          toRelay.add((double) (relayTs - sent.toEpochMilli()));
          fromRelay.add((double) (wallMs - relayTs));
        }
      }
      if (!transport.equals(seenTransport)) {
        throw new IllegalStateException("asked for " + transport + ", the page received over " + seenTransport);
      }
      System.out.printf(Locale.ROOT, "LATENCY %-9s n=%d median %.2f ms (p10 %.2f, p90 %.2f); at 1 ms resolution: "
          + "Date.now median %.1f = Java to relay ts %.1f + relay ts to page %.1f%n", transport, samples,
          percentile(precise, 50), percentile(precise, 10), percentile(precise, 90),
          percentile(wall, 50), percentile(toRelay, 50), percentile(fromRelay, 50));
    } finally {
      stop(browser);
      pages.stop(0);
      deleteTree(profile);
    }
  }

  /** Serves the page at {@code /page} (with the relay's URL filled in) and queues what it POSTs to {@code /report}. */
  private static HttpServer pageServer(String relayBase, BlockingQueue<JsonNode> reports) throws IOException {
    String page;
    try (InputStream in = BrowserLatency.class.getResourceAsStream("/browser-latency.html")) {
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{relay}}", relayBase);
    }
    byte[] html = page.getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/page", exchange -> answer(exchange, 200, "text/html; charset=utf-8", html));
    server.createContext("/report", exchange -> {
      reports.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      answer(exchange, 204, null, null);
    });
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    try (exchange) {
      if (type != null) {
        exchange.getResponseHeaders().set("Content-Type", type);
      }
      exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  /** The next report {@code wanted} accepts, skipping others; errors the page reports are printed. */
  private static JsonNode await(BlockingQueue<JsonNode> reports, Predicate<JsonNode> wanted, String what, Path log)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (true) {
      JsonNode report = reports.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (report == null) {
        throw new IllegalStateException("no " + what + " within " + WAIT_MILLIS + " ms; Chromium's output ends:\n"
            + tail(log));
      }
      if (report.path("type").asText().equals("error")) {
        System.err.println("the page reported: " + report.path("message").asText());
      }
      if (wanted.test(report)) {
        return report;
      }
    }
  }

  /** Bounded: asks /metrics until a poll is parked or a stream is open at the relay. */
  private static void awaitReceiverAtRelay(Relay relay) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (relay.metric("addressable_parked_requests") + relay.metric("addressable_streams_open") < 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no receiver at the relay within 5 s");
      }
    }
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().toList();
    double rank = (sorted.size() - 1) * p / 100.0;
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
  }

  /** Stops the Chromium this tool started (and its helper processes), by their handles. */
  private static void stop(Process browser) throws InterruptedException {
    List<ProcessHandle> helpers = browser.descendants().toList();
    browser.destroy();
    if (!browser.waitFor(5, TimeUnit.SECONDS)) {
      browser.destroyForcibly();
    }
    helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(nothing)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private BrowserLatency() {}
}
