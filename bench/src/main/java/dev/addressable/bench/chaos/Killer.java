package dev.addressable.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Kills relays at random and brings them back: after a pause drawn from {@code --kill-every}, one
 * running relay gets SIGKILL; after {@code --down} seconds it is started again (same port, same
 * data directory, same flags) and waited for. One relay is down at a time. Every kill and restart
 * is printed with its time into the run.
 */
final class Killer implements Runnable {

  private final List<Node> relays;
  private final Settings s;
  private final SplittableRandom random;
  private final PrintStream log;
  private final long start;
  private volatile long stopAt;
  private Thread thread;
  volatile int kills;
  volatile int restarts;
  volatile String failure;

  Killer(List<Node> relays, Settings s, long seed, PrintStream log, long startNanos) {
    this.relays = relays;
    this.s = s;
    this.random = new SplittableRandom(seed);
    this.log = log;
    this.start = startNanos;
  }

  void start(long stopAtNanos) {
    stopAt = stopAtNanos;
    thread = new Thread(this, "killer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops killing; a relay that is down is restarted before this returns. */
  void stopAndHeal() throws InterruptedException {
    stopAt = System.nanoTime();
    thread.interrupt();
    thread.join(90_000);
    for (Node relay : relays) {
      if (!relay.alive()) {
        restart(relay);
      }
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        sleepSeconds(s.killMin(), s.killMax());
        if (System.nanoTime() >= stopAt) {
          return;
        }
        Node victim = relays.get(random.nextInt(relays.size()));
        long pid = victim.pid();
        victim.kill9();
        kills++;
        log.printf("t=%5.1fs  kill -9 %s (pid %d)%n", seconds(), victim.name, pid);
        sleepSeconds(s.downMin(), s.downMax());
        restart(victim);
      }
    } catch (InterruptedException e) {
      // stopAndHeal: whatever is down is restarted there
    }
  }

  private void restart(Node relay) throws InterruptedException {
    try {
      relay.start(60);
      restarts++;
      log.printf("t=%5.1fs  restarted %s (pid %d)%n", seconds(), relay.name, relay.pid());
    } catch (IOException e) {
      failure = e.getMessage();
      log.printf("t=%5.1fs  %s did not come back: %s%n", seconds(), relay.name, e.getMessage());
    }
  }

  private void sleepSeconds(int min, int max) throws InterruptedException {
    long ms = min * 1000L + (max > min ? random.nextLong((max - min) * 1000L) : 0);
    Thread.sleep(ms);
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
