package dev.addressable.bench.hostile;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import dev.addressable.bench.system.Subscription;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved receiver and sender on a channel of their own. The receiver keeps one long-poll
 * parked (re-polling at once after every answer, on the same connection); every
 * {@code everyMillis} the sender opens a new connection, as a backend's curl would, and sends one
 * small numbered message. Latency is from the send's first byte to the receiver's answer carrying
 * it. A message that does not arrive within the timeout counts as {@code lost or late} with the
 * timeout as its latency. Loop-thread confined apart from {@link #open}, {@link #start}, {@link #stop}.
 */
final class DeliveryProbe {

  private final EventLoop loop;
  private final Site site;
  private final InetAddress source;
  private final long everyMillis;
  private final long timeoutNanos;
  final ProbeStats stats = new ProbeStats();
  private final Subscription sub;
  /** Message text → when its send began. */
  private final Map<String, Long> pending = new HashMap<>();
  private final Map<String, Conn> sending = new HashMap<>();
  private Conn receiver;
  private boolean setUp;
  private boolean stopped;
  private long seq;
  private Every sends;
  private Every checks;

  DeliveryProbe(EventLoop loop, Site site, InetAddress source, long everyMillis, long timeoutMillis) {
    this.loop = loop;
    this.site = site;
    this.source = source;
    this.everyMillis = everyMillis;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.sub = new Subscription(0, "probe" + Long.toString(System.nanoTime() & 0xffffffffffL, 36));
  }

  /** Connects the receiver and parks its first poll; true once parked within {@code waitMillis}. */
  boolean open(long waitMillis) throws InterruptedException {
    CountDownLatch parked = new CountDownLatch(1);
    loop.execute(() -> connectReceiver(parked));
    checks = Every.start(loop, 50, this::expire);
    return parked.await(waitMillis, TimeUnit.MILLISECONDS);
  }

  /** Starts the sender. */
  void start() {
    sends = Every.start(loop, everyMillis, this::send);
  }

  /**
   * Stops sending and receiving. Messages still on their way for more than a second are recorded
   * with the time waited so far (a lower bound). Call from a thread other than the loop.
   */
  void stop() throws InterruptedException {
    if (sends != null) {
      sends.cancel();
    }
    checks.cancel();
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      stopped = true;
      long now = System.nanoTime();
      for (long start : pending.values()) {
        if (now - start > 1_000_000_000L) {
          stats.record(now - start);
        }
      }
      pending.clear();
      if (receiver != null) {
        receiver.close(true);
      }
      new ArrayList<>(sending.values()).forEach(c -> c.close(true));
      done.countDown();
    });
    done.await(5, TimeUnit.SECONDS);
  }

  private void connectReceiver(CountDownLatch parked) {
    if (stopped) {
      return;
    }
    try {
      receiver = loop.connect(site.server, source, new Conn.Handler() {
        @Override
        public void onOpen(Conn conn) {
          byte[] setup = setUp ? null : site.target.setupRequest(sub);
          if (setup == null) {
            setUp = true;
            conn.send(site.target.pollRequest(sub));
            parked.countDown();
          } else {
            conn.send(setup);
          }
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          if (!setUp) {
            if (!site.target.onSetup(sub, response)) {
              stats.fail("receiver setup " + response.status());
              conn.close(true);
              return;
            }
            setUp = true;
            parked.countDown();
          } else if (!site.target.onPoll(sub, response, DeliveryProbe.this::arrived)) {
            stats.fail("poll " + Failures.status(response.status()));
            conn.close(true);
            return;
          }
          conn.send(site.target.pollRequest(sub));
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          if (stopped || conn != receiver) {
            return;
          }
          if (cause != null) {
            stats.fail("poll " + Failures.kind(cause));
          }
          loop.schedule(200, () -> connectReceiver(parked));
        }
      });
    } catch (IOException e) {
      stats.fail("poll " + Failures.kind(e));
      loop.schedule(200, () -> connectReceiver(parked));
    }
  }

  private void arrived(String text) {
    Long start = pending.remove(text);
    if (start != null) {
      stats.record(System.nanoTime() - start);
    }
  }

  private void send() {
    String text = "hp" + (++seq);
    long start = System.nanoTime();
    pending.put(text, start);
    stats.attempt();
    try {
      Conn c = loop.connect(site.server, source, new Conn.Handler() {
        @Override
        public void onOpen(Conn conn) {
          conn.send(site.target.sendRequest(sub.address, text));
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          sending.remove(text);
          if (!site.target.accepted(response)) {
            stats.fail("send " + Failures.status(response.status()));
            pending.remove(text);
          }
          conn.close(false);
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          if (sending.remove(text) != null && pending.remove(text) != null) {
            stats.fail("send " + Failures.kind(cause));
          }
        }
      });
      sending.put(text, c);
    } catch (IOException e) {
      pending.remove(text);
      stats.fail("send " + Failures.kind(e));
    }
  }

  /** Gives up messages older than the timeout, and their sends. */
  private void expire() {
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (now - e.getValue() > timeoutNanos) {
        it.remove();
        stats.record(now - e.getValue());
        stats.fail("lost or late");
        Conn c = sending.remove(e.getKey());
        if (c != null) {
          c.close(true);
        }
      }
    }
  }
}
