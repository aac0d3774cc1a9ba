package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SelectorExecutorTest {

  private final List<String> ranOnFallback = new CopyOnWriteArrayList<>();
  private final Executor fallback = task -> {
    ranOnFallback.add("task");
    task.run();
  };
  private Server server;
  private ServerConnector connector;

  @BeforeEach
  void startServer() throws Exception {
    server = new Server();
    connector = new ServerConnector(server, -1, 2);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop();
  }

  /** Whether the calling thread is running a {@link ManagedSelector}'s update. */
  private static boolean onSelector() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith(ManagedSelector.class.getName())));
  }

  @Test
  void runsTasksOnTheSelectorThreadsOnceBound() throws Exception {
    SelectorExecutor executor = new SelectorExecutor(fallback);
    executor.bind(connector.getSelectorManager());
    int tasks = 50;
    CountDownLatch done = new CountDownLatch(tasks);
    List<Boolean> onSelector = new CopyOnWriteArrayList<>();
    for (int i = 0; i < tasks; i++) {
      executor.execute(() -> {
        onSelector.add(onSelector());
        done.countDown();
      });
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(tasks, onSelector.size());
    assertFalse(onSelector.contains(false), "every task ran inside a selector's update");
    assertEquals(List.of(), ranOnFallback);
  }

  @Test
  void usesTheFallbackBeforeBindingAndAfterUnbinding() {
    SelectorExecutor executor = new SelectorExecutor(fallback);
    List<Boolean> onSelector = new CopyOnWriteArrayList<>();
    executor.execute(() -> onSelector.add(onSelector()));
    executor.bind(connector.getSelectorManager());
    executor.unbind();
    executor.execute(() -> onSelector.add(onSelector()));
    assertEquals(List.of(false, false), onSelector);
    assertEquals(2, ranOnFallback.size());
  }

  @Test
  void aFailingTaskDoesNotStopTheSelector() throws Exception {
    SelectorExecutor executor = new SelectorExecutor(fallback);
    executor.bind(connector.getSelectorManager());
    for (int i = 0; i < 4; i++) {
      executor.execute(() -> {
        throw new IllegalStateException("a task of the test that fails on purpose");
      });
    }
    CountDownLatch after = new CountDownLatch(4);
    for (int i = 0; i < 4; i++) {
      executor.execute(after::countDown);
    }
    assertTrue(after.await(10, TimeUnit.SECONDS), "tasks after the failures ran");
  }
}
