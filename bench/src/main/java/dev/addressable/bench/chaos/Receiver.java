package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One tab's receiver on one transport, on a thread of its own: it receives from its tab's relay
 * until that fails, then moves the tab to another relay and goes on from the tab's last cursor,
 * as the browser library does. Everything it sees goes to the {@link Ledger} as the wire gave it
 * (the ledger applies the client's de-dup). A subclass is one wire protocol: {@link #receive}
 * makes one request, or holds one stream, and returns when it is over.
 *
 * <p>Threads: {@link #start} starts the receiving thread; {@link #stop} (any thread) ends it,
 * closing what it holds open, and {@link #join} waits for it; the ledger is safe from any thread.
 */
abstract class Receiver implements Runnable {

  /** The relay failed or refused: move to another one after {@code pauseMillis}. */
  static final class Move extends IOException {
    final long pauseMillis;

    Move(String why, long pauseMillis) {
      super(why);
      this.pauseMillis = pauseMillis;
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  /** A stream silent for this long (three missed heartbeats of 15 s) is given up. */
  static final int SILENCE_MS = 45_000;

  final Tab tab;
  final Ledger ledger;
  final List<InetSocketAddress> relays;
  final int pollTimeout;
  private final SplittableRandom random;
  private volatile boolean running = true;
  private volatile AutoCloseable current;
  private Thread thread;
  volatile long moves;
  volatile String lastProblem;

  Receiver(Tab tab, Ledger ledger, List<InetSocketAddress> relays, int pollTimeout, long seed) {
    this.tab = tab;
    this.ledger = ledger;
    this.relays = relays;
    this.pollTimeout = pollTimeout;
    this.random = new SplittableRandom(seed);
  }

  /** One request or one stream against {@code relay}; returns normally to go on with the same relay. */
  abstract void receive(InetSocketAddress relay) throws IOException, InterruptedException;

  void start() {
    thread = new Thread(this, "receiver-" + tab.label);
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks the thread to end: closes what it holds open; a poll in flight ends with its answer. */
  void stop() {
    running = false;
    closeCurrent();
    thread.interrupt();
  }

  /** Waits for the thread to end, until {@code deadlineNanos} at most. */
  void join(long deadlineNanos) throws InterruptedException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left > 0) {
      thread.join(left);
    }
  }

  boolean running() {
    return running;
  }

  @Override
  public void run() {
    while (running) {
      long pause;
      try {
        receive(relays.get(tab.relay));
        continue;
      } catch (Move m) {
        lastProblem = m.getMessage();
        pause = m.pauseMillis;
      } catch (IOException e) {
        lastProblem = e.toString();
        pause = 0;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        lastProblem = e.toString(); // a malformed answer: count it as a failure and go on
        pause = 0;
      }
      if (!running) {
        return;
      }
      moves++;
      tab.relay = (tab.relay + 1 + (relays.size() > 2 ? random.nextInt(relays.size() - 1) : 0)) % relays.size();
      try {
        Thread.sleep(Math.min(pause, 2000) + 100 + random.nextInt(300)); // jittered, as the library retries
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Keeps what {@link #stop} must close to end a blocking read. */
  void holding(AutoCloseable c) {
    current = c;
    if (!running) {
      closeCurrent();
    }
  }

  private void closeCurrent() {
    AutoCloseable c = current;
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // ending it either way
      }
    }
  }

  /**
   * A long-poll answer ({@code {"cursor","messages":[…],"missed"?}}): a missed first (the client
   * resets its de-dup), then each message at the answer's epoch, then the new cursor.
   */
  void batch(JsonNode answer) {
    String cursor = answer.path("cursor").asText(null);
    if (cursor == null) {
      throw new IllegalStateException("answer without a cursor: " + answer);
    }
    if (answer.path("missed").asBoolean(false)) {
      ledger.missed(tab.label);
    }
    String epoch = Tab.epoch(cursor);
    for (JsonNode m : answer.path("messages")) {
      if (m.has("topic")) {
        continue; // the run follows no topics
      }
      ledger.delivered(tab.label, epoch, m.path("seq").asLong(), m.path("data").asText());
    }
    tab.cursor = cursor;
  }

  /** A refusal with {@code status} (and the answer's Retry-After, or -1): counted, then move on. */
  Move refused(String status, int retryAfterSeconds, String body) {
    ledger.receiveRefused(status);
    return new Move(tab.transport + " refused " + status + ": " + body.trim(), retryAfterSeconds < 0 ? 0 : retryAfterSeconds * 1000L);
  }
}
