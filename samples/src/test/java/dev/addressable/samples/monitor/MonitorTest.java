package dev.addressable.samples.monitor;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.samples.SampleBrowser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * monitor/: backends report events with one GET to the topic's publish URL; the dashboard follows
 * the topic and counts them. Also runs the Java sender snippet as it is published.
 */
@Timeout(60)
class MonitorTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SENDERS = Paths.get("monitor", "senders");

  @Test
  void aBurstOf200EventsShowsInTheFeedAndTheCountsAddUp() throws Exception {
    Page dashboard = browser.open("/samples/monitor/");
    assertThat(dashboard.locator("#monitor")).hasAttribute("data-subscribed", "yes");
    String publishUrl = topicUrl();

    // A burst of 200 events from "backends", one GET each, in four kinds: 199 at once, then a last one.
    Map<String, Integer> sent = new LinkedHashMap<>(Map.of("login", 0, "query", 0, "checkout", 0, "error", 0));
    List<CompletableFuture<RelayClient.Answer>> answers = new ArrayList<>();
    String last = null;
    for (int i = 0; i < 200; i++) {
      String kind = i % 10 < 4 ? "login" : i % 10 < 7 ? "query" : i % 10 < 9 ? "checkout" : "error";
      last = switch (kind) {
        case "login" -> "login: user " + (1000 + i) + " logged in";
        case "query" -> "query: product search took " + (20 + i) + " ms";
        case "checkout" -> "checkout: €" + (10 + i % 50) + ".90";
        default -> "error: payment gateway timeout (502) #" + i;
      };
      sent.merge(kind, 1, Integer::sum);
      if (i < 199) {
        answers.add(browser.http().getAsync(publishUrl + "?message=" + URLEncoder.encode(last, StandardCharsets.UTF_8)));
      }
    }
    for (CompletableFuture<RelayClient.Answer> answer : answers) {
      RelayClient.Answer a = answer.get(20, TimeUnit.SECONDS);
      assertEquals(202, a.status(), a.body());
    }
    publish(publishUrl, last);

    assertThat(dashboard.locator("#total")).hasText("200");
    int sum = 0;
    for (Map.Entry<String, Integer> kind : sent.entrySet()) {
      assertThat(dashboard.locator("#kinds [data-kind='" + kind.getKey() + "'] .count"))
          .hasText(String.valueOf(kind.getValue()));
      sum += Integer.parseInt(dashboard.locator("#kinds [data-kind='" + kind.getKey() + "'] .count").textContent());
    }
    assertEquals(200, sum, "per-kind counts add up to the burst");
    assertEquals(4, dashboard.locator("#kinds [data-kind]").count(), "no kinds but the four sent");
    assertThat(dashboard.locator("#errors")).hasText("20");
    assertThat(dashboard.locator("#feed li")).hasCount(100); // the feed keeps the newest 100
    assertThat(dashboard.locator("#feed li .text").first()).hasText(last.substring("error: ".length()));

    // The published Java sender, compiled and run as `java Send.java <url> <message>` would.
    runJavaSender(publishUrl, "signup: new account from Oslo");
    assertThat(dashboard.locator("#total")).hasText("201");
    assertThat(dashboard.locator("#kinds [data-kind='signup'] .count")).hasText("1");

    browser.assertNoPageErrors();
    browser.screenshot(dashboard, "monitor");
  }

  @Test
  void theShellStreamAndTheTerminalViewWorkAgainstTheRelay() throws Exception {
    Page dashboard = browser.open("/samples/monitor/");
    assertThat(dashboard.locator("#monitor")).hasAttribute("data-subscribed", "yes");
    String before = dashboard.locator("#total").textContent();

    // watch.sh: connect, subscribe, then curl -N on the SSE stream (the "telnet view").
    Process watch = new ProcessBuilder("sh", SENDERS.resolve("watch.sh").toString(), browser.base())
        .redirectErrorStream(true).start();
    try {
      Lines out = new Lines(watch.getInputStream());
      out.await("following the monitor's topic");
      publish(topicUrl(), "error: disk full on db-9");
      out.await("\"data\":\"error: disk full on db-9\"");
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
    }

    // stream.sh: a bounded, mixed stream (here 40 events over 1 s).
    Process stream = new ProcessBuilder("bash", SENDERS.resolve("stream.sh").toString(), topicUrl(), "40", "1")
        .redirectErrorStream(true).start();
    assertTrue(stream.waitFor(15, TimeUnit.SECONDS), "stream.sh ends by itself");
    assertEquals(0, stream.exitValue(), new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertThat(dashboard.locator("#total")).hasText(String.valueOf(Integer.parseInt(before) + 41));
    browser.assertNoPageErrors();
    browser.screenshot(dashboard, "monitor-stream");
  }

  /** What the dashboard's backend hands out: the topic's publish URL. */
  private static String topicUrl() throws IOException {
    RelayClient.Answer answer = browser.http().get("/samples/monitor/api/topic");
    assertEquals(200, answer.status(), answer.body());
    JsonNode topic = answer.json();
    assertNotNull(topic.get("subscribeKey"), answer.body());
    return topic.get("url").asText();
  }

  private static void publish(String publishUrl, String event) {
    RelayClient.Answer answer = browser.http().get(publishUrl + "?message=" + URLEncoder.encode(event, StandardCharsets.UTF_8));
    assertEquals(202, answer.status(), answer.body());
  }

  /** Compiles senders/Send.java on its own (as the source launcher would) and runs its main. */
  private static void runJavaSender(String publishUrl, String event) throws Exception {
    Path dir = Files.createTempDirectory("send-java");
    Path source = Files.copy(SENDERS.resolve("Send.java"), dir.resolve("Send.java"));
    OutputStream log = new java.io.ByteArrayOutputStream();
    int status = ToolProvider.getSystemJavaCompiler().run(null, log, log, "-d", dir.toString(), source.toString());
    assertEquals(0, status, "Send.java compiles: " + log);
    PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Method main = loader.loadClass("Send").getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[] {publishUrl, event});
    } finally {
      System.setOut(stdout);
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("202 "), "Send.java printed: " + printed);
  }

  /** A process's output, read line by line on a thread of its own. */
  private static final class Lines {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    Lines(InputStream in) {
      Thread reader = new Thread(() -> {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "process-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until a line holds {@code part}; fails with the lines so far. */
    void await(String part) {
      Await.value("a line with " + part + " (lines so far)", SampleBrowser.WAIT, () -> List.copyOf(lines),
          seen -> seen.stream().anyMatch(l -> l.contains(part)));
    }
  }
}

