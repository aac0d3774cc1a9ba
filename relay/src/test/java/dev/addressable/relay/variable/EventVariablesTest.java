package dev.addressable.relay.variable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.NodeWakeups;
import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.memory.MemoryStore;
import dev.addressable.relay.transport.Receivers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event variables: waiters at the node ({@link Doorbells}), set flags in the memory store ({@link EventVariables}). */
class EventVariablesTest {

  private static final VariableName NAME = new VariableName("doorbell-0123456789abcdef");
  private final Parker parker = new Parker(100);
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final MemoryStore store = new MemoryStore(config(), now::get, new Metrics(), MemoryBudget.unlimited());
  private final Doorbells variables = new Doorbells(store, parker, Runnable::run);

  {
    store.wakeups(new NodeWakeups(new Receivers(store, Runnable::run, Runnable::run, now::get),
        new Receipts(store, parker, Runnable::run), variables));
  }

  private static RelayConfig config() {
    RelayConfig d = RelayConfig.defaults();
    return new RelayConfig(d.server(), d.inbox(), d.poll(), new EventConfig(Duration.ofSeconds(60), 10), d.topics(),
        d.presence(), d.limits(), d.admin(), d.cluster());
  }

  @AfterEach
  void stop() {
    parker.close();
  }

  private int set(VariableName name) {
    return Stages.now(store.setVariable(name));
  }

  @Test
  void waitersAreAnsweredWhenSetAndLaterWaitsReturnAtOnce() throws Exception {
    CompletableFuture<Boolean> a = variables.await(NAME, Duration.ofSeconds(30));
    CompletableFuture<Boolean> b = variables.await(NAME, Duration.ofSeconds(30));
    assertFalse(a.isDone());
    assertEquals(2, set(NAME));
    assertTrue(a.get(5, TimeUnit.SECONDS));
    assertTrue(b.get(5, TimeUnit.SECONDS));
    assertTrue(variables.await(NAME, Duration.ofSeconds(30)).isDone());
    assertEquals(0, set(NAME), "setting twice wakes nobody");
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void timeoutAnswersFalse() throws Exception {
    assertFalse(variables.await(NAME, Duration.ofMillis(30)).get(5, TimeUnit.SECONDS));
    assertFalse(variables.await(NAME, Duration.ZERO).join());
  }

  @Test
  void unusedVariablesAreForgottenButWaitedOnOnesAreKept() {
    set(NAME);
    CompletableFuture<Boolean> waiting = variables.await(new VariableName("another-name-0123456789"), Duration.ofSeconds(30));
    now.addAndGet(61_000);
    store.sweep();
    assertEquals(1, store.counts().variables());
    assertFalse(variables.await(NAME, Duration.ZERO).join(), "a forgotten variable starts unset");
    assertFalse(waiting.isDone());
  }

  @Test
  void namesMustBeLongAndPlain() {
    assertTrue(EventVariables.isName(NAME.value()));
    assertFalse(EventVariables.isName("short"));
    assertFalse(EventVariables.isName("has space in the name!!"));
  }
}
