package dev.addressable.relay.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the relay holds for senders is bounded by its memory budget, counted as stored: past it, a
 * send is refused with {@code 503 memory_full} while receivers go on draining, and nothing already
 * accepted is lost. Each test runs a relay in a JVM of its own with a small heap, as the finding
 * did ({@code -Xmx256m} ran out within seconds of 64 KiB POSTs and never answered again).
 */
@Timeout(120)
class MemoryBudgetTest {

  private static final String KIB_64 = "x".repeat(64 * 1024);
  private static final String KIB_60 = "x".repeat(60 * 1024);

  @Test
  void sendsPastTheBudgetAreRefusedWhileReceiversDrainAndNothingAcceptedIsLost() throws Exception {
    try (RelayProcess relay = RelayProcess.start(List.of("-Xmx96m"), "--max-memory", "24m", "--inbox-age", "10")) {
      RelayClient http = relay.client();
      List<Connection> channels = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        channels.add(http.connect());
      }
      int accepted = 0;
      Answer refused = null;
      for (int round = 0; round < 20 && refused == null; round++) {
        List<CompletableFuture<Answer>> sends = new ArrayList<>();
        for (Connection c : channels) {
          sends.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.url()))
              .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(KIB_64)).build()));
        }
        for (CompletableFuture<Answer> send : sends) {
          Answer answer = send.join();
          if (answer.status() == 202) {
            accepted++;
          } else {
            assertEquals(503, answer.status(), answer.body());
            refused = answer;
          }
        }
      }
      assertTrue(refused != null, "24 MiB cannot hold 4,000 messages of 64 KiB");
      assertEquals("memory_full", refused.json().get("error").asText());
      assertTrue(refused.header("Retry-After") != null);
      assertTrue(refused.json().get("message").asText().contains("--max-memory"), refused.body());
      assertTrue(accepted > 200, "the budget took " + accepted + " messages first");

      JsonNode health = http.get("/health").json();
      assertEquals("ok", health.get("status").asText(), "the relay keeps serving: " + health);
      int drained = 0;
      for (Connection c : channels) {
        Answer poll = http.poll(c, c.cursor(), 0);
        assertEquals(200, poll.status(), poll.body());
        drained += poll.json().get("messages").size();
      }
      assertEquals(accepted, drained, "every accepted message is there to be read");
      assertTrue(metric(http, "addressable_memory_refusals_total") > 0);

      Await.until("sends accepted again once the old messages expired", Duration.ofSeconds(25),
          () -> http.post(channels.get(0).url(), "text/plain", KIB_64).status() == 202);
      assertTrue(relay.isAlive());
      assertFalse(relay.output().contains("OutOfMemoryError"), relay.output());
    }
  }

  @Test
  void theBudgetCountsMessagesAsStoredNotAsSent() throws Exception {
    try (RelayProcess relay = RelayProcess.start(List.of("-Xmx96m"), "--max-memory", "16m")) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      long before = metric(http, "addressable_memory_used_bytes");
      String controls = "\u0001".repeat(60_000); // 60,000 bytes sent; 360,000 stored as JSON escapes
      assertEquals(202, http.post(c.url(), "text/plain", controls).status());
      long stored = metric(http, "addressable_memory_used_bytes") - before;
      assertTrue(stored >= 360_000 && stored < 400_000, "charged " + stored + " bytes for a message stored in 360,000");
    }
  }

  @Test
  void anOutOfMemoryErrorEndsTheProcessRatherThanLeavingItHalfAlive() throws Exception {
    // A budget larger than the heap (the relay warns about it at start) makes the error reachable.
    try (RelayProcess relay = RelayProcess.start(List.of("-Xmx48m", "-XX:+UseSerialGC"), "--max-memory", "1g",
        "--inbox-bytes", "67108864", "--inbox-messages", "100000")) {
      assertTrue(relay.output().contains("more than 90% of the heap"), relay.output());
      RelayClient http = relay.client();
      Connection c = http.connect();
      int status = -1;
      for (int i = 0; i < 5_000 && relay.isAlive(); i++) {
        try {
          http.post(c.url(), "text/plain", KIB_60 + i);
        } catch (RuntimeException connectionRefused) {
          break; // the process is gone
        }
      }
      status = relay.awaitExit(60);
      assertEquals(Fatal.EXIT_STATUS, status, "exit status; output:\n" + relay.output());
      assertTrue(relay.output().contains("addressable: fatal: java.lang.OutOfMemoryError"), relay.output());
    }
  }

  private static long metric(RelayClient http, String name) {
    for (String line : http.get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }
}
