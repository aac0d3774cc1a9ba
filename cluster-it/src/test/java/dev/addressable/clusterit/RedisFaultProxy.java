package dev.addressable.clusterit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy on a free loopback port in front of Redis (or any server), to put between a relay
 * and Redis and break the link the ways networks break (CLUSTER.md §10): latency
 * ({@link #delay}), resets ({@link #cut}), silence ({@link #blackhole}), one deaf direction of one
 * connection ({@link #mute}); {@link #heal} undoes them all. Relays connect to {@link #uri()}.
 *
 * <p>Held bytes are kept, not dropped, as TCP keeps them through a partition that heals in time:
 * a blackholed or muted direction stops being read and written, and what it held flows in order
 * after {@link #heal}, so Redis's protocol stream never tears. Only {@link #cut} loses data.
 *
 * <p>Every accepted connection gets the next {@linkplain ProxiedConnection#index() index} (0, 1,
 * …) and stays in {@link #connections()} after it closes, so a test can act on "the second
 * connection the relay opened" or on one chosen by what it sent. Threads: one acceptor and four
 * per connection (a reader and a writer each way) from a pool capped at {@value #MAX_CONNECTIONS}
 * connections; a connection over the cap is reset and reported. Fault methods may be called from
 * any thread and apply at once to every connection they name.
 */
public final class RedisFaultProxy implements AutoCloseable {

  /** Which way bytes go through a connection. */
  public enum Direction {
    /** From the relay (or test client) to Redis: commands. */
    CLIENT_TO_SERVER,
    /** From Redis to the relay: replies and pub/sub messages. */
    SERVER_TO_CLIENT
  }

  /** Open connections at most; more are reset on accept. */
  public static final int MAX_CONNECTIONS = 64;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final ThreadPoolExecutor pool;
  private final Thread acceptor;
  private final List<ProxiedConnection> connections = new CopyOnWriteArrayList<>();

  /** Guards the fault state below and every connection's mutes; notified on each change. */
  final Object lock = new Object();
  private long delayNanos;
  private boolean cut;
  private boolean blackholed;
  private volatile boolean closed;

  private RedisFaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger threads = new AtomicInteger();
    String prefix = "fault-proxy-" + server.getLocalPort() + "-";
    // Four pipe threads per connection, and one short task per connection that is opening.
    this.pool = new ThreadPoolExecutor(0, 5 * MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, prefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, prefix + "acceptor");
    acceptor.setDaemon(true);
  }

  /** A proxy in front of {@code 127.0.0.1:targetPort}, accepting from now on. */
  public static RedisFaultProxy start(int targetPort) {
    return start("127.0.0.1", targetPort);
  }

  public static RedisFaultProxy start(String targetHost, int targetPort) {
    try {
      RedisFaultProxy proxy = new RedisFaultProxy(targetHost, targetPort);
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on loopback", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code redis://127.0.0.1:<port>}: the address to give a relay instead of Redis's own. */
  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** Every connection accepted so far, open or closed; a connection's place is its index. */
  public List<ProxiedConnection> connections() {
    return List.copyOf(connections);
  }

  /** The connection accepted {@code index}-th (from 0). */
  public ProxiedConnection connection(int index) {
    if (index < 0 || index >= connections.size()) {
      throw new IndexOutOfBoundsException("no connection " + index + ": " + connections.size() + " accepted so far");
    }
    return connections.get(index);
  }

  /** The connections still open, in the order they were accepted. */
  public List<ProxiedConnection> openConnections() {
    return connections.stream().filter(ProxiedConnection::isOpen).toList();
  }

  /**
   * Holds every chunk read, either way, on every connection (now and later) for {@code latency}
   * after it was read before writing it on; chunks keep their order. A round trip thus takes at
   * least twice {@code latency}. {@link Duration#ZERO} turns it off.
   */
  public void delay(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency < 0: " + latency);
    }
    synchronized (lock) {
      delayNanos = latency.toNanos();
      lock.notifyAll();
    }
  }

  /**
   * Closes every open connection with a reset (RST both ways: {@code SO_LINGER 0}) and resets each
   * new one as soon as it is accepted, until {@link #heal}: what a client sees when the server's
   * host dies or a firewall rejects it.
   */
  public void cut() {
    synchronized (lock) {
      cut = true;
      lock.notifyAll();
    }
    openConnections().forEach(ProxiedConnection::cut);
  }

  /**
   * Forwards nothing either way on any connection, open or new, until {@link #heal}; connections
   * stay open and new ones are accepted (and connected on to the server), so a client sees only
   * silence and its own timeouts, as behind a partition that drops packets.
   */
  public void blackhole() {
    synchronized (lock) {
      blackholed = true;
      lock.notifyAll();
    }
  }

  /** Mutes {@code direction} of the connection accepted {@code index}-th: see {@link ProxiedConnection#mute}. */
  public void mute(Direction direction, int index) {
    connection(index).mute(direction);
  }

  /**
   * Mutes {@code direction} of every open connection {@code which} accepts, e.g. the one that sent
   * {@code SUBSCRIBE}; connections opened later are not muted (a client's reconnect heals it).
   *
   * @return how many connections were muted
   */
  public int mute(Direction direction, Predicate<ProxiedConnection> which) {
    List<ProxiedConnection> chosen = openConnections().stream().filter(which).toList();
    chosen.forEach(c -> c.mute(direction));
    return chosen.size();
  }

  /** Ends every fault: no delay, no cut, no blackhole, no mutes. Held bytes flow on in order. */
  public void heal() {
    synchronized (lock) {
      delayNanos = 0;
      cut = false;
      blackholed = false;
      connections.forEach(ProxiedConnection::clearMutes);
      lock.notifyAll();
    }
  }

  /** Stops accepting and closes every connection; bounded. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    connections.forEach(ProxiedConnection::cut);
    pool.shutdownNow();
    try {
      acceptor.join(5_000);
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        System.err.println("fault proxy " + port() + ": threads still running after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- for ProxiedConnection, under lock ----

  long delayNanos() {
    return delayNanos;
  }

  boolean blackholed() {
    return blackholed;
  }

  boolean isClosed() {
    return closed;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault proxy " + port() + ": accept failed, no more connections: " + e);
        }
        return;
      }
      boolean refuse;
      synchronized (lock) {
        refuse = cut;
      }
      if (refuse) {
        ProxiedConnection.reset(client);
        continue;
      }
      if (openConnections().size() >= MAX_CONNECTIONS) {
        System.err.println("fault proxy " + port() + ": " + MAX_CONNECTIONS + " connections open, one more reset");
        ProxiedConnection.reset(client);
        continue;
      }
      ProxiedConnection connection = new ProxiedConnection(this, connections.size(), client);
      connections.add(connection);
      try {
        pool.execute(() -> connection.connect(targetHost, targetPort, pool));
      } catch (RejectedExecutionException e) {
        connection.cut();
      }
    }
  }
}
