package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code --selectors 1}: one thread serves every connection's polls and sends, and the wake-ups. */
@Timeout(60)
class OneSelectorTest {

  @Test
  void oneSelectorServesAClientWideSendToManyParkedTabs() throws Exception {
    // One client's 100 parked tabs: without --max-polls-per-client 0 all but 4 would be told to wait.
    try (TestRelay relay = TestRelay.start(c -> c.withServer(c.server().withSelectors(1))
        .withPoll(c.poll().withMaxPerClient(0)))) {
      RelayClient http = relay.client();
      Connection first = http.connect();
      int tabs = 100; // past the 64 up to which a client-wide send wakes them inline
      List<Connection> all = new ArrayList<>(List.of(first));
      for (int i = 1; i < tabs; i++) {
        all.add(http.connect(first, "tab" + i));
      }
      List<CompletableFuture<Answer>> polls = new ArrayList<>();
      for (Connection tab : all) {
        polls.add(http.pollAsync(tab, tab.cursor(), 30));
      }
      Await.value("every tab's poll parked (parked)", Duration.ofSeconds(10),
          () -> http.get("/health").json().get("parked").asInt(), n -> n >= tabs);
      assertEquals(tabs, http.sendGet(first.clientUrl(), "everyone").json().get("delivered").asInt());
      for (CompletableFuture<Answer> poll : polls) {
        Answer answer = poll.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("everyone", answer.json().get("messages").get(0).get("data").asText());
      }
    }
  }
}
