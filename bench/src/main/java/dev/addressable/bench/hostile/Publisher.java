package dev.addressable.bench.hostile;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code text/plain} POSTs of one body to a list of channels in turn, over
 * {@code connections} kept-alive connections with one request each in flight, either as fast as
 * the server answers or at most {@code perSecond}. Every answer is sorted as
 * {@code accepted} (2xx), {@code refused} (4xx, 503, 507: the server said no and said why) or
 * {@code failed} (any other 5xx, a dropped connection, no answer within the timeout); statuses are
 * counted and the first body of each is kept. Loop-thread confined apart from {@link #start} and
 * {@link #stop}.
 */
final class Publisher {

  private final EventLoop loop;
  private final Site site;
  private final Sources sources;
  private final List<Site.Channel> channels;
  private final byte[] body;
  private final byte[][] heads;
  private final int perSecond;
  private final long timeoutNanos;
  private final Tally tally;
  private final Slot[] slots;
  private Every ticks;
  private boolean stopped;
  private long nextChannel;
  private double tokens;
  private long lastRefill;

  private final class Slot {
    Conn conn;
    boolean connected;
    long since;
  }

  /** @param perSecond the most requests a second over all connections; 0 for no limit */
  Publisher(EventLoop loop, Site site, Sources sources, List<Site.Channel> channels, int connections, int perSecond,
      byte[] body, long timeoutMillis, Tally tally) {
    this.loop = loop;
    this.site = site;
    this.sources = sources;
    this.channels = channels;
    this.body = body;
    this.perSecond = perSecond;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.tally = tally;
    this.slots = new Slot[connections];
    this.heads = new byte[channels.size()][];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = site.postHead(channels.get(i), body.length);
    }
  }

  void start() {
    loop.execute(() -> {
      lastRefill = System.nanoTime();
      for (int i = 0; i < slots.length; i++) {
        slots[i] = new Slot();
        connect(slots[i]);
      }
    });
    ticks = Every.start(loop, 10, this::tick);
  }

  /**
   * Stops sending and closes the connections. Requests still unanswered are not failures (the phase
   * cut them off); those that have waited more than a second are counted as
   * {@code unanswered at end}, with the longest wait among them in
   * {@code oldest unanswered at end ms}: a server that stopped answering shows there.
   */
  void stop() throws InterruptedException {
    ticks.cancel();
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      stopped = true;
      long now = System.nanoTime();
      long oldest = 0;
      for (Slot s : slots) {
        if (s != null && s.since != 0 && now - s.since > 1_000_000_000L) {
          tally.add("unanswered at end");
          oldest = Math.max(oldest, (now - s.since) / 1_000_000L);
        }
      }
      tally.add("oldest unanswered at end ms", oldest);
      for (Slot s : slots) {
        if (s != null && s.conn != null) {
          s.since = 0;
          s.conn.close(true);
        }
      }
      done.countDown();
    });
    done.await(10, TimeUnit.SECONDS);
  }

  private void connect(Slot s) {
    if (stopped) {
      return;
    }
    s.connected = false;
    s.since = 0;
    try {
      s.conn = loop.connect(site.server, sources.next(), new Conn.Handler() {
        @Override
        public void onOpen(Conn conn) {
          s.connected = true;
          sendNext(s);
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          s.since = 0;
          sort(response);
          if (!response.closes()) {
            sendNext(s);
          }
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          if (s.since != 0) {
            s.since = 0;
            fail(Failures.kind(cause));
          } else if (!s.connected && !stopped) {
            tally.add("connect failed (" + Failures.kind(cause) + ")");
          }
          s.conn = null;
          s.connected = false;
          if (!stopped) {
            loop.schedule(100, () -> connect(s));
          }
        }
      });
    } catch (IOException e) {
      tally.add("connect failed (" + Failures.kind(e) + ")");
      loop.schedule(100, () -> connect(s));
    }
  }

  private void sendNext(Slot s) {
    if (stopped || s.conn == null || !s.connected || s.since != 0) {
      return;
    }
    if (perSecond > 0) {
      if (tokens < 1) {
        return; // the next tick sends it
      }
      tokens--;
    }
    int c = (int) (nextChannel++ % channels.size());
    s.since = System.nanoTime();
    s.conn.send(heads[c]);
    s.conn.send(body);
  }

  private void sort(HttpResponse response) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      tally.add("accepted");
      tally.add("accepted bytes", body.length);
      return;
    }
    tally.status(status);
    tally.sample("answer " + status, response.bodyText());
    if (status >= 400 && status < 500 || status == 503 || status == 507) {
      tally.add("refused");
    } else {
      fail(Failures.status(status));
    }
  }

  private void fail(String kind) {
    tally.add("failed");
    tally.add("failed (" + kind + ")");
  }

  private void tick() {
    long now = System.nanoTime();
    if (perSecond > 0) {
      tokens = Math.min(Math.max(1, perSecond / 10.0), tokens + perSecond * (now - lastRefill) / 1e9);
    }
    lastRefill = now;
    for (Slot s : slots) {
      if (s == null || s.conn == null) {
        continue;
      }
      if (s.since != 0 && now - s.since > timeoutNanos) {
        s.since = 0;
        fail("timeout");
        s.conn.close(true);
        continue;
      }
      sendNext(s);
    }
  }
}
