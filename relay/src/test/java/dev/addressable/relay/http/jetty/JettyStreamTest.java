package dev.addressable.relay.http.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.memory.MemoryBudget;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * A stream whose request Jetty ended on another thread, after {@link JettyStream#write} saw the
 * stream open: Jetty's response then throws from {@code write} (a {@link NullPointerException},
 * its stream gone). CI caught it as a tab reopened its hub's SSE stream: superseding the old
 * stream wrote to it as its connection's hang-up ended it, and the exception failed the new
 * stream's request with a 500.
 */
class JettyStreamTest {

  private final MemoryBudget budget = new MemoryBudget(1 << 20);
  private final List<Throwable> requestFailures = new ArrayList<>();
  private final Callback callback = Callback.from(() -> { }, requestFailures::add);

  @Test
  void aWriteToARequestJettyEndedFailsLikeAWriteToAClosedStream() {
    JettyStream stream = new JettyStream(endedResponse(), callback, budget, () -> { });
    AtomicInteger closes = new AtomicInteger();
    stream.onClose(closes::incrementAndGet);
    List<Boolean> written = new ArrayList<>();

    stream.write("event: superseded\n\n".getBytes(StandardCharsets.UTF_8), written::add);

    assertEquals(List.of(false), written, "the write fails, as on a closed stream, instead of throwing");
    assertEquals(0, budget.inFlight(), "its bytes go back to the budget");
    assertEquals(1, closes.get(), "the stream is closed once, and its owner told");
    assertEquals(1, requestFailures.size(), "the request is ended with a failure");

    stream.write(new byte[] {'x'}, written::add);
    stream.close();
    assertEquals(List.of(false, false), written, "a later write is refused as closed");
    assertEquals(1, closes.get(), "closing again does nothing more");
  }

  @Test
  void closingARequestJettyEndedDoesNotThrow() {
    JettyStream stream = new JettyStream(endedResponse(), callback, budget, () -> { });
    AtomicInteger closes = new AtomicInteger();
    stream.onClose(closes::incrementAndGet);

    stream.close();

    assertEquals(1, closes.get(), "the owner is told the stream closed");
    assertEquals(1, requestFailures.size(), "the request is ended with a failure");
    assertTrue(requestFailures.get(0).getMessage().contains("ended before its last write"),
        () -> "says why: " + requestFailures.get(0));
  }

  @Test
  void whatAWritesCallbackThrowsIsNotTakenForAnEndedRequest() {
    Response inline = (Response) Proxy.newProxyInstance(JettyStreamTest.class.getClassLoader(),
        new Class<?>[] {Response.class}, (proxy, method, args) -> {
          if (method.getName().equals("write")) {
            ((Callback) args[2]).succeeded(); // the write went out at once, on this thread
            return null;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    JettyStream stream = new JettyStream(inline, callback, budget, () -> { });
    IllegalStateException thrown = new IllegalStateException("the writer's own failure");

    IllegalStateException seen = assertThrows(IllegalStateException.class,
        () -> stream.write(new byte[] {'x'}, written -> {
          throw thrown;
        }));

    assertSame(thrown, seen, "the writer's failure is its own");
    assertEquals(0, budget.inFlight(), "the bytes went back once, not twice");
    assertTrue(requestFailures.isEmpty(), "the request goes on");
  }

  /** A response as Jetty's is once its request ended: no stream to write to. */
  private static Response endedResponse() {
    return (Response) Proxy.newProxyInstance(JettyStreamTest.class.getClassLoader(), new Class<?>[] {Response.class},
        (proxy, method, args) -> {
          if (method.getName().equals("write")) {
            throw new NullPointerException("Cannot invoke \"HttpStream.send(...)\" because \"stream\" is null");
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
