package dev.addressable.bench.scenario;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import dev.addressable.bench.system.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend side: a few kept-alive connections that send messages, one request at a time each
 * (no pipelining). What to send and when comes from a {@link Plan}, asked whenever a connection
 * is free and on every loop iteration. Each message's text is {@code <id>_<System.nanoTime()>}
 * taken just before the request is written, so a receiver in any process on this machine can
 * compute send-to-receive time (nanoTime is CLOCK_MONOTONIC, shared by all processes).
 */
final class Senders implements Conn.Handler, AutoCloseable {

  /** Chooses the next send. */
  interface Plan {
    /** The address to send to now, or null if nothing is due. Loop thread. */
    String next(long nowNanos);
  }

  private final EventLoop loop;
  private final Target target;
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();
  private final Runnable ticker = this::pump;
  private Plan plan;
  private long nextId;

  final AtomicLong sent = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  volatile String lastRefusal;
  volatile HttpResponse lastAnswer;

  Senders(EventLoop loop, Target target, InetSocketAddress server, int connections) throws IOException, InterruptedException {
    this.loop = loop;
    this.target = target;
    CountDownLatch opened = new CountDownLatch(connections);
    Conn.Handler counting = new Conn.Handler() {
      @Override public void onOpen(Conn c) {
        c.attachment = Senders.this;
        idle.add(c);
        opened.countDown();
      }
      @Override public void onResponse(Conn c, HttpResponse r) { Senders.this.onResponse(c, r); }
      @Override public void onClose(Conn c, IOException cause) { Senders.this.onClose(c, cause); }
    };
    loop.execute(() -> {
      for (int i = 0; i < connections; i++) {
        try {
          loop.connect(server, InetAddress.getLoopbackAddress(), counting);
        } catch (IOException e) {
          lastRefusal = "connect: " + e.getMessage();
        }
      }
    });
    if (!opened.await(10, TimeUnit.SECONDS)) {
      throw new IOException("sender connections did not open: " + lastRefusal);
    }
  }

  /** The id the next message will carry; messages from here on are the measured ones. */
  long nextId() throws InterruptedException {
    long[] id = new long[1];
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      id[0] = nextId;
      done.countDown();
    });
    done.await(5, TimeUnit.SECONDS);
    return id[0];
  }

  void start(Plan newPlan) {
    loop.execute(() -> {
      plan = newPlan;
      loop.addTicker(ticker);
      pump();
    });
  }

  void stop() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      plan = null;
      loop.removeTicker(ticker);
      done.countDown();
    });
    done.await(5, TimeUnit.SECONDS);
  }

  /** Waits until no send is in flight. */
  boolean awaitIdle(int connections, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (sent.get() == accepted.get() + refused.get()) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  private void pump() {
    while (plan != null && !idle.isEmpty()) {
      String address = plan.next(System.nanoTime());
      if (address == null) {
        return;
      }
      Conn c = idle.poll();
      String text = (nextId++) + "_" + System.nanoTime();
      c.send(target.sendRequest(address, text));
      sent.incrementAndGet();
    }
  }

  @Override
  public void onOpen(Conn c) {}

  @Override
  public void onResponse(Conn c, HttpResponse r) {
    lastAnswer = r;
    if (target.accepted(r)) {
      accepted.incrementAndGet();
    } else {
      refused.incrementAndGet();
      lastRefusal = r.status() + " " + r.bodyText();
    }
    if (!r.closes()) {
      idle.add(c);
    }
    pump();
  }

  @Override
  public void onClose(Conn c, IOException cause) {
    idle.remove(c);
    if (cause != null) {
      lastRefusal = "connection closed: " + cause.getMessage();
    }
  }

  @Override
  public void close() {
    loop.execute(() -> {
      plan = null;
      loop.removeTicker(ticker);
      for (Conn c : idle) {
        c.close(true);
      }
      idle.clear();
    });
  }
}
