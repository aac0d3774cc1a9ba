package dev.addressable.clusterit;

import dev.addressable.clusterit.RedisFaultProxy.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection through a {@link RedisFaultProxy}: the client's socket, the proxy's socket to the
 * server, and a pipe each way (a reader thread, a bounded queue of chunks, a writer thread that
 * waits out the proxy's faults). Its methods may be called from any thread. Ends when both sides
 * have closed (FINs are passed on), on an error or reset of either side (a reset is passed on),
 * on {@link #cut} or when the proxy closes.
 */
public final class ProxiedConnection {

  private static final int CHUNK = 16 * 1024;
  /** Chunks a pipe holds; past them its reader stops reading and TCP pushes back on the sender. */
  private static final int QUEUED_CHUNKS = 32;
  private static final int OPENING_BYTES = 4096;
  private static final byte[] END = new byte[0];

  private final RedisFaultProxy proxy;
  private final int index;
  private final Socket client;
  private final Socket server = new Socket();
  private final ByteArrayOutputStream opening = new ByteArrayOutputStream();
  private final Map<Direction, AtomicLong> received = new EnumMap<>(Direction.class);
  private final Map<Direction, AtomicLong> forwarded = new EnumMap<>(Direction.class);
  /** Guarded by {@code proxy.lock}. */
  private final Set<Direction> muted = EnumSet.noneOf(Direction.class);
  /** Guarded by this. */
  private final List<Future<?>> pipes = new ArrayList<>();
  private boolean closed;
  private int ended;
  private volatile int upstreamPort = -1;

  ProxiedConnection(RedisFaultProxy proxy, int index, Socket client) {
    this.proxy = proxy;
    this.index = index;
    this.client = client;
    for (Direction d : Direction.values()) {
      received.put(d, new AtomicLong());
      forwarded.put(d, new AtomicLong());
    }
  }

  /** Its place among the proxy's connections: 0 for the first accepted. */
  public int index() {
    return index;
  }

  /** The client's port, as on the client's side of its socket. */
  public int clientPort() {
    return client.getPort();
  }

  /**
   * The proxy's local port towards the server, -1 until connected: Redis's {@code CLIENT LIST}
   * shows this connection as {@code addr=127.0.0.1:<upstreamPort>}.
   */
  public int upstreamPort() {
    return upstreamPort;
  }

  /** The first 4 KiB the client sent, as Latin-1 text: tells a {@code SUBSCRIBE}r from the rest. */
  public String opening() {
    synchronized (opening) {
      return opening.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** Bytes read from the sending side in {@code direction}, held ones included. */
  public long received(Direction direction) {
    return received.get(direction).get();
  }

  /** Bytes written on to the receiving side in {@code direction}. */
  public long forwarded(Direction direction) {
    return forwarded.get(direction).get();
  }

  public synchronized boolean isOpen() {
    return !closed;
  }

  /**
   * Stops forwarding {@code direction} of this connection until {@link #unmute} or the proxy's
   * heal; the other direction flows on. Muting {@link Direction#SERVER_TO_CLIENT} of a pub/sub
   * connection makes the "deaf subscriber": its commands reach Redis, nothing comes back.
   */
  public void mute(Direction direction) {
    synchronized (proxy.lock) {
      muted.add(direction);
      proxy.lock.notifyAll();
    }
  }

  public void unmute(Direction direction) {
    synchronized (proxy.lock) {
      muted.remove(direction);
      proxy.lock.notifyAll();
    }
  }

  /** Closes this connection with a reset both ways ({@code SO_LINGER 0}); what it held is lost. */
  public void cut() {
    List<Future<?>> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = List.copyOf(pipes);
    }
    reset(client);
    reset(server);
    running.forEach(f -> f.cancel(true));
  }

  @Override
  public String toString() {
    return "connection " + index + " (client port " + clientPort() + ", upstream port " + upstreamPort + ")";
  }

  /** Called under {@code proxy.lock}. */
  void clearMutes() {
    muted.clear();
  }

  /** Connects to the server, then starts the pipes; on the proxy's pool. */
  void connect(String host, int port, ExecutorService pool) {
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(new InetSocketAddress(host, port), 5_000);
      upstreamPort = server.getLocalPort();
      synchronized (this) {
        if (closed) {
          return;
        }
        pipe(pool, client, server, Direction.CLIENT_TO_SERVER);
        pipe(pool, server, client, Direction.SERVER_TO_CLIENT);
      }
    } catch (IOException | RejectedExecutionException e) {
      cut(); // the server is down, or the pool is full: the client sees a reset, as from a dead server
    }
  }

  /** Starts one direction's reader and writer; called holding this. */
  private void pipe(ExecutorService pool, Socket from, Socket to, Direction direction) throws IOException {
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    pipes.add(pool.submit(() -> write(queue, to, out, direction)));
    pipes.add(pool.submit(() -> read(in, queue, direction)));
  }

  private void read(InputStream in, BlockingQueue<Chunk> queue, Direction direction) {
    byte[] buffer = new byte[CHUNK];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.get(direction).addAndGet(n);
        if (direction == Direction.CLIENT_TO_SERVER) {
          keepOpening(buffer, n);
        }
        queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
      }
      queue.put(new Chunk(END, System.nanoTime()));
    } catch (IOException e) {
      cut();
    } catch (InterruptedException e) {
      // cut or closed
    }
  }

  private void write(BlockingQueue<Chunk> queue, Socket to, OutputStream out, Direction direction) {
    try {
      while (true) {
        Chunk chunk = queue.take();
        awaitTurn(chunk.readAt(), direction);
        if (chunk.data() == END) {
          to.shutdownOutput();
          ended();
          return;
        }
        out.write(chunk.data());
        forwarded.get(direction).addAndGet(chunk.data().length);
      }
    } catch (IOException e) {
      cut();
    } catch (InterruptedException e) {
      // cut or closed
    }
  }

  /** Waits while the direction is held, then until the proxy's delay after {@code readAt} is over. */
  private void awaitTurn(long readAt, Direction direction) throws InterruptedException {
    synchronized (proxy.lock) {
      while (true) {
        if (proxy.isClosed()) {
          throw new InterruptedException("proxy closed");
        }
        if (proxy.blackholed() || muted.contains(direction)) {
          proxy.lock.wait(); // notified by heal, unmute and close; cut interrupts
          continue;
        }
        long left = readAt + proxy.delayNanos() - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(proxy.lock, left);
      }
    }
  }

  /** Both directions passed their FIN on: close quietly. */
  private void ended() {
    boolean both;
    synchronized (this) {
      both = ++ended == 2 && !closed;
      if (both) {
        closed = true;
      }
    }
    if (both) {
      close(client);
      close(server);
    }
  }

  private void keepOpening(byte[] buffer, int n) {
    synchronized (opening) {
      opening.write(buffer, 0, Math.min(n, OPENING_BYTES - opening.size()));
    }
  }

  static void reset(Socket socket) {
    try {
      if (!socket.isClosed() && socket.isConnected()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      // closing anyway
    }
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private record Chunk(byte[] data, long readAt) {}
}
