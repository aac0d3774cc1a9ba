package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.store.StoreBusy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** At most so many calls in Redis at once; the rest wait in order, up to a bound, then are refused. */
class InFlightTest {

  private final List<CompletableFuture<String>> started = new ArrayList<>();

  private CompletableFuture<String> call() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    started.add(answer);
    return answer;
  }

  @Test
  void callsPastTheBoundWaitAndStartInOrderAsOthersFinish() {
    InFlight limit = new InFlight(2, 10);
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      outcomes.add(limit.submit(this::call));
    }
    assertEquals(2, started.size(), "two in Redis");
    assertEquals(2, limit.running());
    assertEquals(3, limit.waiting());
    started.get(0).complete("first");
    assertEquals("first", outcomes.get(0).join());
    assertEquals(3, started.size(), "the third started as the first finished");
    started.get(1).completeExceptionally(new IllegalStateException("refused"));
    assertInstanceOf(IllegalStateException.class, cause(outcomes.get(1)));
    assertEquals(4, started.size(), "a failure makes room too");
    started.get(2).complete("third");
    started.get(3).complete("fourth");
    started.get(4).complete("fifth");
    assertEquals(List.of("third", "fourth", "fifth"), outcomes.subList(2, 5).stream().map(CompletableFuture::join).toList());
    assertEquals(0, limit.running());
    assertEquals(0, limit.waiting());
  }

  @Test
  void pastTheQueueACallIsRefusedAtOnceAndNothingIsSent() {
    InFlight limit = new InFlight(1, 2);
    limit.submit(this::call);
    limit.submit(this::call);
    limit.submit(this::call);
    CompletableFuture<String> refused = limit.submit(this::call);
    assertInstanceOf(StoreBusy.class, cause(refused));
    assertEquals(1, started.size());
    assertEquals(2, limit.waiting());
  }

  @Test
  void callsThatFinishAtOnceDoNotDeepenTheStack() {
    InFlight limit = new InFlight(1, 200_000);
    CompletableFuture<String> first = limit.submit(this::call); // holds the one place
    List<CompletableFuture<String>> quick = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      quick.add(limit.submit(() -> CompletableFuture.completedFuture("done")));
    }
    started.get(0).complete("first"); // every waiting call runs from here, finishing as it starts
    assertEquals("first", first.join());
    assertTrue(quick.stream().allMatch(q -> "done".equals(q.join())));
    assertEquals(0, limit.running());
  }

  @Test
  void aCallThatThrowsFailsItsOutcomeAndFreesItsPlace() {
    InFlight limit = new InFlight(1, 10);
    CompletableFuture<String> thrown = limit.submit(() -> {
      throw new IllegalArgumentException("bad call");
    });
    assertInstanceOf(IllegalArgumentException.class, cause(thrown));
    limit.submit(this::call);
    assertEquals(1, started.size());
  }

  private static Throwable cause(CompletableFuture<?> outcome) {
    try {
      outcome.join();
      throw new AssertionError("it succeeded");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
