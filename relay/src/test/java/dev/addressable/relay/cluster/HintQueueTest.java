package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pub/sub listener only enqueues: a full queue drops, counts, and says so; the rest arrives in order. */
class HintQueueTest {

  /** An executor that runs its tasks only when the test says. */
  private static final class Held implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  @Test
  void aFullQueueDropsCountsAndTellsTheOwnerOnceForDropsTogether() {
    Held executor = new Held();
    List<String> handled = new ArrayList<>();
    AtomicInteger overflows = new AtomicInteger();
    HintQueue queue = new HintQueue(2, executor, handled::add, overflows::incrementAndGet);
    queue.offer("m 1");
    queue.offer("m 2");
    queue.offer("m 3");
    queue.offer("m 4");
    assertEquals(2, queue.dropped());
    executor.runAll();
    assertEquals(List.of("m 1", "m 2"), handled);
    assertEquals(1, overflows.get(), "one re-sweep covers both drops");
    queue.offer("m 5");
    executor.runAll();
    assertEquals(List.of("m 1", "m 2", "m 5"), handled, "room again once drained");
    queue.offer("m 6");
    queue.offer("m 7");
    queue.offer("m 8");
    executor.runAll();
    assertEquals(2, overflows.get(), "a later drop is told again");
    assertEquals(3, queue.dropped());
  }

  @Test
  void everyMessageIsHeardWhenItArrives() {
    Held executor = new Held();
    HintQueue queue = new HintQueue(8, executor, message -> {}, () -> {});
    long before = queue.lastHeard();
    queue.offer("p");
    assertTrue(queue.lastHeard() - before >= 0);
    assertEquals(1, executor.tasks.size(), "one drain for messages that come together");
    queue.offer("p");
    assertEquals(1, executor.tasks.size());
  }
}
