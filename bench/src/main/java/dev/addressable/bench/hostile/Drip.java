package dev.addressable.bench.hostile;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds {@code count} connections that each send an opening, then one small piece every
 * {@code everyMillis} (staggered across the connections), and never finish their request: what
 * slow-body and slowloris attackers do. A connection the server closes is counted and opened again
 * a second later, as an attacker would, so the pressure stays on for the whole phase; reopening is
 * bounded by that one-second pause per connection. Loop-thread confined apart from
 * {@link #start}, {@link #stop} and the getters.
 */
final class Drip {

  /** What one attack connection sends. */
  interface Script {
    byte[] opening(int index);

    /** The {@code n}-th piece (from 0) after the opening, or null once the request would be complete. */
    byte[] piece(int index, long n);
  }

  private final EventLoop loop;
  private final Site site;
  private final Sources sources;
  private final int count;
  private final long everyMillis;
  private final Script script;
  final Tally tally;
  private final AtomicLong open = new AtomicLong();
  private final Slot[] slots;
  private Every ticks;
  private volatile boolean stopped;

  private final class Slot {
    final int index;
    Conn conn;
    boolean connected;
    long nextAt;
    long pieces;

    Slot(int index) {
      this.index = index;
    }
  }

  Drip(EventLoop loop, Site site, Sources sources, int count, long everyMillis, Script script, Tally tally) {
    this.loop = loop;
    this.site = site;
    this.sources = sources;
    this.count = count;
    this.everyMillis = everyMillis;
    this.script = script;
    this.tally = tally;
    this.slots = new Slot[count];
  }

  void start() {
    loop.execute(() -> {
      for (int i = 0; i < count; i++) {
        slots[i] = new Slot(i);
        connect(slots[i]);
      }
    });
    ticks = Every.start(loop, 100, this::tick);
  }

  /** Connections open right now. */
  long open() {
    return open.get();
  }

  /** Closes every connection (with RST, leaving no TIME_WAIT behind). */
  void stop() throws InterruptedException {
    stopped = true;
    if (ticks != null) {
      ticks.cancel();
    }
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    loop.execute(() -> {
      for (Slot s : slots) {
        if (s != null && s.conn != null) {
          s.conn.close(true);
        }
      }
      done.countDown();
    });
    done.await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void connect(Slot s) {
    if (stopped) {
      return;
    }
    s.connected = false;
    s.pieces = 0;
    // Spread the pieces over the period so the server sees a steady trickle, not bursts.
    s.nextAt = System.nanoTime() + (everyMillis * 1_000_000L) * (s.index + 1) / count;
    try {
      s.conn = loop.connect(site.server, sources.next(), new Conn.Handler() {
        @Override
        public void onOpen(Conn conn) {
          s.connected = true;
          open.incrementAndGet();
          tally.add("opened");
          conn.send(script.opening(s.index));
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          // The server answered a request that never completed: a refusal (408, 400, 413, …).
          tally.status(response.status());
          tally.sample("answer " + response.status(), response.bodyText());
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          if (s.connected) {
            open.decrementAndGet();
          }
          if (stopped) {
            return;
          }
          tally.add((s.connected ? "dropped (" : "connect failed (") + Failures.kind(cause) + ")");
          s.conn = null;
          loop.schedule(1000, () -> connect(s));
        }
      });
    } catch (IOException e) {
      tally.add("connect failed (" + Failures.kind(e) + ")");
      loop.schedule(1000, () -> connect(s));
    }
  }

  private void tick() {
    long now = System.nanoTime();
    for (Slot s : slots) {
      if (s == null || s.conn == null || !s.connected || now < s.nextAt) {
        continue;
      }
      byte[] piece = script.piece(s.index, s.pieces);
      if (piece == null) {
        continue;
      }
      s.pieces++;
      s.nextAt += everyMillis * 1_000_000L;
      tally.add("bytes dripped", piece.length);
      s.conn.send(piece);
    }
  }
}
