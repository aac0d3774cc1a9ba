package dev.addressable.relay.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.addressable.relay.store.ClientId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HubsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final Hubs hubs = new Hubs(now::get);
  private final ClientId client = new ClientId("AAAAAAAAAAAAAAAAAAAAAA");
  private final List<String> ended = new ArrayList<>();

  private Hubs.Connection connection(String name) {
    return sameTerm -> ended.add(name + (sameTerm ? " replaced" : " superseded"));
  }

  @Test
  void aHigherTermSupersedesTheSameTermReplacesALowerTermIsRefused() {
    hubs.open(client, 5, connection("a"));
    hubs.open(client, 5, connection("b"));
    hubs.open(client, 9, connection("c"));
    assertEquals(List.of("a replaced", "b superseded"), ended);
    assertThrows(StaleTermException.class, () -> hubs.open(client, 8, connection("d")));
    assertEquals(2, hubs.supersessions());
    assertEquals(1, hubs.openCount());
  }

  @Test
  void aClosedHubKeepsItsTermUntilTheSweepForgetsIt() {
    Hubs.Connection a = connection("a");
    hubs.open(client, 5, a);
    hubs.close(client, a);
    assertEquals(0, hubs.openCount());
    now.addAndGet(500);
    hubs.sweep(1_000);
    assertThrows(StaleTermException.class, () -> hubs.open(client, 4, connection("stale")), "still fenced");
    now.addAndGet(2_000);
    hubs.sweep(1_000);
    assertEquals(0, hubs.size(), "forgotten after the idle time");
    hubs.open(client, 4, connection("after"));
    assertEquals(1, hubs.openCount());
  }

  @Test
  void anOpenHubIsNeverSweptAndClosingAReplacedConnectionLeavesTheNewOneOpen() {
    Hubs.Connection a = connection("a");
    hubs.open(client, 5, a);
    hubs.open(client, 5, connection("b"));
    hubs.close(client, a); // the replaced one ends late
    now.addAndGet(10_000);
    hubs.sweep(1_000);
    assertEquals(1, hubs.openCount());
  }
}
