package dev.addressable.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One sending thread, as a backend would send: it owns some tabs, sends to a random one of them
 * at its share of the rate, one send at a time, each with a fresh {@code mid} that is also the
 * message's text ({@code <tab>-<n>}, n counting that tab's sends). A send that gets no answer, or
 * 503, is retried with the same mid on another relay (after Retry-After, at most 1 s) until it is
 * answered or 10 s have passed; any other answer ends it (a backend does not retry a 404). The
 * next send waits for the previous one, so each tab's messages go out in order.
 */
final class Sender implements Runnable {

  static final long GIVE_UP_NANOS = 10_000_000_000L;
  static final int REQUEST_TIMEOUT_MS = 3000;

  private final List<Tab> tabs;
  private final Ledger ledger;
  private final List<InetSocketAddress> relays;
  private final long periodNanos;
  private final SplittableRandom random;
  private volatile long stopAt;
  private Thread thread;

  Sender(List<Tab> tabs, Ledger ledger, List<InetSocketAddress> relays, double perSecond, long seed) {
    this.tabs = tabs;
    this.ledger = ledger;
    this.relays = relays;
    this.periodNanos = (long) (1e9 / perSecond);
    this.random = new SplittableRandom(seed);
  }

  void start(long stopAtNanos, String name) {
    stopAt = stopAtNanos;
    thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops sending now; the send in progress ends within its 10 s. */
  void stop() {
    stopAt = System.nanoTime();
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    while (System.nanoTime() < stopAt && !tabs.isEmpty()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
      send(tabs.get(random.nextInt(tabs.size())));
      next = Math.max(next + periodNanos, System.nanoTime() - periodNanos); // no burst to catch up after retries
    }
  }

  private void send(Tab tab) {
    long index = ++tab.sends;
    String mid = tab.label + "-" + index;
    ledger.sending(tab.label, mid, index);
    String target = tab.path + "?message=" + mid + "&mid=" + mid;
    long deadline = System.nanoTime() + GIVE_UP_NANOS;
    int relay = random.nextInt(relays.size());
    while (System.nanoTime() < deadline) {
      ledger.attempt(mid);
      long pause;
      try {
        RawHttp.Answer a = RawHttp.get(relays.get(relay), target, Map.of(), REQUEST_TIMEOUT_MS);
        ledger.answered(mid, a.status());
        if (a.status() != 503) {
          return;
        }
        pause = Math.min(1000, Math.max(0, a.retryAfter()) * 1000L);
      } catch (IOException e) {
        ledger.noAnswer(mid);
        pause = 0;
      }
      relay = (relay + 1 + (relays.size() > 2 ? random.nextInt(relays.size() - 1) : 0)) % relays.size();
      try {
        Thread.sleep(pause + 50 + random.nextInt(150));
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
