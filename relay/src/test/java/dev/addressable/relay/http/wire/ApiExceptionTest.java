package dev.addressable.relay.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the core's refusals reach a client: status, code, and when to come back. */
class ApiExceptionTest {

  @Test
  void aStoppingRelayAsksTabsToComeBackAtSpreadTimes() {
    Parker parker = new Parker(10);
    parker.drain(); // as a relay shutting down does
    OverloadedException stopping = null;
    try {
      parker.park(Duration.ofSeconds(1), () -> null, parked -> { });
    } catch (OverloadedException e) {
      stopping = e;
    }
    assertTrue(stopping != null && stopping.isShuttingDown());
    Set<String> retryAfter = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ApiException answer = ApiException.of(stopping);
      assertEquals(503, answer.status());
      assertEquals("shutting_down", answer.code());
      int seconds = Integer.parseInt(answer.retryAfterSeconds());
      assertTrue(seconds >= 1 && seconds <= 5, "Retry-After " + seconds);
      retryAfter.add(answer.retryAfterSeconds());
    }
    assertTrue(retryAfter.size() > 1, "not every tab at the same second: " + retryAfter);
  }

  @Test
  void aFullBudgetSaysSoAndWhatToDo() {
    ApiException answer = ApiException.of(new MemoryFullException("a message", 96L << 20));
    assertEquals(503, answer.status());
    assertEquals("memory_full", answer.code());
    assertTrue(answer.getMessage().contains("--max-memory, 96 MiB"), answer.getMessage());
    assertTrue(answer.retryAfterSeconds() != null);
  }
}
