package dev.addressable.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The count behind {@code --max-polls-per-client}: exact, per client, and never left behind. */
@Timeout(30)
class ClientPollsTest {

  @Test
  void aClientHoldsAtMostItsCapAndEachSlotGivenBackMakesRoomForOneMore() {
    ClientPolls polls = new ClientPolls(2);
    assertTrue(polls.tryTake("a"));
    assertTrue(polls.tryTake("a"));
    assertFalse(polls.tryTake("a"), "a third is past the cap");
    assertEquals(2, polls.held("a"));
    assertEquals(1, polls.overCap());
    polls.giveBack("a");
    assertTrue(polls.tryTake("a"), "room for one more");
    assertFalse(polls.tryTake("a"));
    assertEquals(2, polls.overCap());
    polls.giveBack("a");
    polls.giveBack("a");
    assertEquals(0, polls.held("a"));
    assertEquals(0, polls.clients(), "a client holding nothing leaves no entry");
  }

  @Test
  void clientsAreCountedApart() {
    ClientPolls polls = new ClientPolls(1);
    assertTrue(polls.tryTake("a"));
    assertTrue(polls.tryTake("b"), "another client's slots are its own");
    assertFalse(polls.tryTake("a"));
    assertEquals(2, polls.clients());
  }

  @Test
  void zeroMeansNoCapAndCountsNothing() {
    ClientPolls polls = new ClientPolls(0);
    assertFalse(polls.isCapped());
    for (int i = 0; i < 1000; i++) {
      assertTrue(polls.tryTake("a"));
    }
    polls.giveBack("a");
    assertEquals(0, polls.held("a"));
    assertEquals(0, polls.clients());
    assertEquals(0, polls.overCap());
  }

  @Test
  void aNegativeCapIsRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClientPolls(-1));
    assertEquals("max < 0: -1", e.getMessage());
  }

  @Test
  void manyThreadsTakingAndGivingBackNeverPassTheCapAndLeaveNothingBehind() throws Exception {
    int cap = 4;
    ClientPolls polls = new ClientPolls(cap);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> runs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String client = t % 2 == 0 ? "shared" : "own-" + t;
      runs.add(threads.submit(() -> {
        start.await();
        int took = 0;
        for (int i = 0; i < 20_000; i++) {
          if (polls.tryTake(client)) {
            took++;
            if (client.equals("shared")) {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
            }
            polls.giveBack(client);
          }
        }
        return took;
      }));
    }
    start.countDown();
    int took = 0;
    for (Future<Integer> run : runs) {
      took += run.get(20, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertTrue(took > 0);
    assertTrue(most.get() <= cap, "never more than the cap at once: " + most.get());
    assertEquals(0, polls.clients(), "every slot came back");
    assertEquals(8 * 20_000, took + polls.overCap(), "each try either took a slot or was counted over the cap");
  }
}
