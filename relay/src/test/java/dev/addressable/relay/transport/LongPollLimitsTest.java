package dev.addressable.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A poll that finds something to read is answered even where no more polls may wait: a long-poll
 * parks before it reads, and only a poll that would have to wait is refused.
 */
@Timeout(60)
class LongPollLimitsTest {

  private static final Duration SOON = Duration.ofSeconds(5);

  private static PollConfig limits(PollConfig p, int perChannel, int parked) {
    return new PollConfig(p.defaultTimeout(), p.maxTimeout(), perChannel, parked, p.heartbeat(), p.maxPerClient());
  }

  /** Sends {@code message} to {@code c} with nobody waiting, and returns the cursor after it. */
  private static String sendAndReadPast(RelayClient http, Connection c, String message) {
    assertEquals(202, http.sendGet(c.url(), message).status());
    Answer read = http.poll(c, c.cursor(), 0);
    assertEquals(message, read.json().get("messages").get(0).get("data").asText(), read.body());
    return read.json().get("cursor").asText();
  }

  @Test
  void aChannelHoldingItsLimitStillAnswersAPollWithSomethingToRead() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> c.withPoll(limits(c.poll(), 2, c.poll().maxParked())))) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      String past = sendAndReadPast(http, c, "first");
      List<CompletableFuture<Answer>> waiting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        waiting.add(http.pollAsync(c, past, 20));
      }
      Await.until("both polls parked on the channel", SOON,
          () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())) == 2);

      Answer behind = http.poll(c, c.cursor(), 20);
      assertEquals(200, behind.status(), behind.body());
      assertEquals("first", behind.json().get("messages").get(0).get("data").asText());
      Answer refused = http.poll(c, past, 20);
      assertEquals(429, refused.status(), refused.body());
      assertEquals("too_many_polls", refused.json().get("error").asText());

      assertEquals(2, http.sendGet(c.url(), "release").json().get("delivered").asInt());
      for (CompletableFuture<Answer> poll : waiting) {
        assertEquals(200, poll.get(5, TimeUnit.SECONDS).status());
      }
    }
  }

  @Test
  void aRelayHoldingItsLimitStillAnswersAPollWithSomethingToRead() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> c.withPoll(limits(c.poll(), c.poll().maxPerChannel(), 2)))) {
      RelayClient http = relay.client();
      Connection a = http.connect();
      Connection b = http.connect(a, "second");
      Connection behind = http.connect(a, "third");
      String pastA = sendAndReadPast(http, a, "for a");
      String pastB = sendAndReadPast(http, b, "for b");
      assertEquals(202, http.sendGet(behind.url(), "waiting for third").status());
      CompletableFuture<Answer> waitingA = http.pollAsync(a, pastA, 20);
      CompletableFuture<Answer> waitingB = http.pollAsync(b, pastB, 20);
      Await.until("both polls parked at the relay", SOON, () -> http.get("/health").json().get("parked").asInt() == 2);

      Answer answered = http.poll(behind, behind.cursor(), 20);
      assertEquals(200, answered.status(), answered.body());
      assertEquals("waiting for third", answered.json().get("messages").get(0).get("data").asText());
      Answer refused = http.poll(behind, answered.json().get("cursor").asText(), 20);
      assertEquals(503, refused.status(), refused.body());
      assertEquals("overloaded", refused.json().get("error").asText());

      http.sendGet(a.clientUrl(), "release");
      assertEquals(200, waitingA.get(5, TimeUnit.SECONDS).status());
      assertEquals(200, waitingB.get(5, TimeUnit.SECONDS).status());
    }
  }
}
