package dev.addressable.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * One thread, one selector, many {@link Conn}s: how a single process holds tens of thousands of
 * parked long-polls. Other threads hand work in with {@link #execute}; timers and per-iteration
 * tickers run on the loop thread. Connections are only made to loopback addresses.
 */
public final class EventLoop implements AutoCloseable {

  private final Selector selector;
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final List<Runnable> tickers = new ArrayList<>();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private long timerSeq;

  private record Timer(long due, long seq, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }

  public EventLoop(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Runs {@code task} on the loop thread soon. Safe from any thread. */
  public void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Runs {@code task} on the loop thread after {@code delayMillis}. Loop thread only. */
  public void schedule(long delayMillis, Runnable task) {
    timers.add(new Timer(System.nanoTime() + delayMillis * 1_000_000L, timerSeq++, task));
  }

  /** Runs {@code ticker} on every loop iteration (at least every millisecond). Loop thread only. */
  public void addTicker(Runnable ticker) {
    tickers.add(ticker);
  }

  public void removeTicker(Runnable ticker) {
    tickers.remove(ticker);
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Opens a connection from {@code source} (a loopback address; null for any) to {@code server}.
   * Loop thread only.
   */
  public Conn connect(InetSocketAddress server, InetAddress source, Conn.Handler handler) throws IOException {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("load is only sent to loopback addresses: " + server);
    }
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (source != null) {
        channel.bind(new InetSocketAddress(source, 0));
      }
      SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
      Conn conn = new Conn(channel, key, handler);
      key.attach(conn);
      if (channel.connect(server)) {
        conn.onConnectable();
      }
      return conn;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void run() {
    try {
      while (running) {
        long wait = tickers.isEmpty() ? 100 : 1;
        Timer next = timers.peek();
        if (next != null) {
          wait = Math.max(1, Math.min(wait, (next.due - System.nanoTime()) / 1_000_000L));
        }
        if (tasks.isEmpty()) {
          selector.select(wait);
        } else {
          selector.selectNow();
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Conn conn = (Conn) key.attachment();
          if (!key.isValid()) {
            continue;
          }
          int ready = key.readyOps();
          if ((ready & SelectionKey.OP_CONNECT) != 0) {
            conn.onConnectable();
          }
          if (key.isValid() && (ready & SelectionKey.OP_WRITE) != 0) {
            conn.onWritable();
          }
          if (key.isValid() && (ready & SelectionKey.OP_READ) != 0) {
            conn.onReadable(scratch);
          }
        }
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().due <= now) {
          timers.poll().task.run();
        }
        for (int i = 0; i < tickers.size(); i++) {
          tickers.get(i).run();
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (running) {
        System.err.println("event loop " + thread.getName() + " failed: " + e);
      }
    } catch (RuntimeException | Error e) {
      System.err.println("event loop " + thread.getName() + " failed:");
      e.printStackTrace();
    } finally {
      stopped.countDown();
    }
  }

  /** Stops the loop and closes every connection it still holds (with RST). */
  @Override
  public void close() {
    if (inLoop()) {
      throw new IllegalStateException("close the loop from another thread");
    }
    CountDownLatch closedAll = new CountDownLatch(1);
    execute(() -> {
      for (SelectionKey key : new ArrayList<>(selector.keys())) {
        if (key.attachment() instanceof Conn conn) {
          conn.close(true);
        }
      }
      closedAll.countDown();
    });
    try {
      closedAll.await(10, java.util.concurrent.TimeUnit.SECONDS);
      running = false;
      selector.wakeup();
      stopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // closing
    }
  }
}
