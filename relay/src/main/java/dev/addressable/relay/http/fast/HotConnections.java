package dev.addressable.relay.http.fast;

import dev.addressable.relay.http.route.Router;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;

/**
 * Makes {@link HotConnection}s, the first factory of the relay's connector, and holds what they
 * share: the router, the limits on a request head, the memory budget, and the count of answers
 * being written (a stopping server waits for them).
 */
public final class HotConnections extends AbstractConnectionFactory {

  /** How much a connection reads at a time; a longer head grows its buffer, up to {@link #maxHeadBytes}. */
  public static final int READ_SIZE = 8 * 1024;

  final Router router;
  final Metrics metrics;
  final MemoryBudget budget;
  /** Jetty's HTTP/1.1 connections, which take over at the first request a hot connection does not serve. */
  final ConnectionFactory jetty;
  /** How much a connection reads at a time. */
  final int bufferSize;
  /** The largest request head accepted (Jetty answers 431 past it), and the most ever handed to Jetty. */
  final int maxHeadBytes;
  /** How long a request head may take to arrive, from its first byte. */
  final long headTimeoutMillis;
  private final AtomicInteger writing = new AtomicInteger();

  public HotConnections(Router router, Metrics metrics, MemoryBudget budget, ConnectionFactory jetty, int bufferSize,
      int maxHeadBytes, long headTimeoutMillis) {
    super("addressable-http/1.1");
    this.router = router;
    this.metrics = metrics;
    this.budget = budget;
    this.jetty = jetty;
    this.bufferSize = bufferSize;
    this.maxHeadBytes = Math.max(bufferSize, maxHeadBytes);
    this.headTimeoutMillis = headTimeoutMillis;
    setInputBufferSize(bufferSize);
  }

  @Override
  public HotConnection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new HotConnection(endPoint, connector, this), connector, endPoint);
  }

  /** Answers being written now. */
  public int writing() {
    return writing.get();
  }

  void writeStarted() {
    writing.incrementAndGet();
  }

  void writeEnded() {
    writing.decrementAndGet();
  }

  /** The factory of a connector's hot connections, or {@code null}. */
  public static HotConnections of(Connector connector) {
    return connector.getConnectionFactory(HotConnections.class);
  }
}
