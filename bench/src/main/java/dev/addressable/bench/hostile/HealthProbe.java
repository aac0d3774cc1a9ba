package dev.addressable.bench.hostile;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A monitoring client: every {@code everyMillis} it opens a new connection, asks the server's
 * health page ({@code /health}, or nchan's {@code /nchan_status}) and times the whole exchange,
 * connect included, as a load balancer's check would see it. Attempts overlap when the server is
 * slow (at most {@link #MAX_IN_FLIGHT}); one not answered within the timeout is given up, counted
 * as a {@code timeout}, and recorded with the time it was given up at. Loop-thread confined apart
 * from {@link #start} and {@link #stop}.
 */
final class HealthProbe {

  private static final int MAX_IN_FLIGHT = 100;

  private final EventLoop loop;
  private final Site site;
  private final InetAddress source;
  private final long everyMillis;
  private final long timeoutNanos;
  final ProbeStats stats = new ProbeStats();
  private final Set<Attempt> inFlight = new HashSet<>();
  private final byte[] request;
  private Every ticks;

  private static final class Attempt {
    final long start = System.nanoTime();
    Conn conn;
    boolean done;
  }

  HealthProbe(EventLoop loop, Site site, InetAddress source, long everyMillis, long timeoutMillis) {
    this.loop = loop;
    this.site = site;
    this.source = source;
    this.everyMillis = everyMillis;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.request = ("GET " + site.healthPath() + " HTTP/1.1\r\nHost: " + site.hostPort + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  void start() {
    ticks = Every.start(loop, everyMillis, this::tick);
  }

  /**
   * Stops asking. Attempts still waiting for more than a second are recorded with the time they
   * have waited so far (a lower bound on their latency). Call from a thread other than the loop.
   */
  void stop() throws InterruptedException {
    ticks.cancel();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    loop.execute(() -> {
      long now = System.nanoTime();
      for (Attempt a : inFlight) {
        if (!a.done && now - a.start > 1_000_000_000L) {
          a.done = true;
          stats.record(now - a.start);
        }
      }
      done.countDown();
    });
    done.await(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    for (Attempt a : inFlight) {
      if (!a.done && now - a.start > timeoutNanos) {
        a.done = true;
        stats.record(now - a.start);
        stats.fail("timeout");
        if (a.conn != null) {
          a.conn.close(true);
        }
      }
    }
    inFlight.removeIf(a -> a.done);
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      stats.fail("skipped (too many waiting)");
      return;
    }
    Attempt a = new Attempt();
    inFlight.add(a);
    stats.attempt();
    try {
      a.conn = loop.connect(site.server, source, new Conn.Handler() {
        @Override
        public void onOpen(Conn conn) {
          conn.send(request);
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          if (!a.done) {
            a.done = true;
            stats.record(System.nanoTime() - a.start);
            if (response.status() != 200) {
              stats.fail(Failures.status(response.status()));
            }
          }
          conn.close(false);
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          if (!a.done) {
            a.done = true;
            stats.record(System.nanoTime() - a.start);
            stats.fail(Failures.kind(cause));
          }
        }
      });
    } catch (IOException e) {
      a.done = true;
      stats.fail(Failures.kind(e));
    }
  }
}
