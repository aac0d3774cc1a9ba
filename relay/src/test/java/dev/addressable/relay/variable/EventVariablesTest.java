package dev.addressable.relay.variable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventVariablesTest {

  private static final String NAME = "doorbell-0123456789abcdef";
  private final Parker parker = new Parker(100);
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final EventVariables variables =
      new EventVariables(new EventConfig(Duration.ofSeconds(60), 10), parker, now::get, new Metrics(),
      dev.addressable.relay.memory.MemoryBudget.unlimited());

  @AfterEach
  void stop() {
    parker.close();
  }

  @Test
  void waitersAreAnsweredWhenSetAndLaterWaitsReturnAtOnce() throws Exception {
    CompletableFuture<Boolean> a = variables.await(NAME, Duration.ofSeconds(30));
    CompletableFuture<Boolean> b = variables.await(NAME, Duration.ofSeconds(30));
    assertFalse(a.isDone());
    assertEquals(2, variables.set(NAME));
    assertTrue(a.get(5, TimeUnit.SECONDS));
    assertTrue(b.get(5, TimeUnit.SECONDS));
    assertTrue(variables.await(NAME, Duration.ofSeconds(30)).isDone());
    assertEquals(0, variables.set(NAME), "setting twice wakes nobody");
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void timeoutAnswersFalse() throws Exception {
    assertFalse(variables.await(NAME, Duration.ofMillis(30)).get(5, TimeUnit.SECONDS));
    assertFalse(variables.await(NAME, Duration.ZERO).join());
  }

  @Test
  void unusedVariablesAreForgottenButWaitedOnOnesAreKept() {
    variables.set(NAME);
    CompletableFuture<Boolean> waiting = variables.await("another-name-0123456789", Duration.ofSeconds(30));
    now.addAndGet(61_000);
    variables.sweep();
    assertEquals(1, variables.size());
    assertFalse(variables.await(NAME, Duration.ZERO).join(), "a forgotten variable starts unset");
    assertFalse(waiting.isDone());
  }

  @Test
  void namesMustBeLongAndPlain() {
    assertTrue(EventVariables.isName(NAME));
    assertFalse(EventVariables.isName("short"));
    assertFalse(EventVariables.isName("has space in the name!!"));
  }
}
