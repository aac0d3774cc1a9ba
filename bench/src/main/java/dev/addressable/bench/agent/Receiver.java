package dev.addressable.bench.agent;

import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;

/**
 * One receiver: a kept-alive connection that sets itself up once (if the system needs it) and then
 * long-polls for ever, polling again at once after each answer with its new position. A dropped
 * connection is reopened a bounded number of times. Lives on its agent's event loop.
 */
final class Receiver implements Conn.Handler {

  private static final int MAX_REOPENS = 20;
  /** Setup answers of 503 or 429 taken as "later", as a browser's library takes them, at most this often. */
  private static final int MAX_SETUP_RETRIES = 30;

  private final Agent agent;
  final dev.addressable.bench.system.Subscription sub;
  private Conn conn;
  private boolean setUp;
  private boolean started;
  private boolean failed;
  private int reopens;
  private int setupRetries;
  boolean waiting;

  Receiver(Agent agent, dev.addressable.bench.system.Subscription sub) {
    this.agent = agent;
    this.sub = sub;
  }

  void open() {
    try {
      conn = agent.loop.connect(agent.serverFor(sub.index), agent.source, this);
    } catch (IOException e) {
      retryOrFail("connect failed: " + e.getMessage());
    }
  }

  @Override
  public void onOpen(Conn c) {
    if (setUp) {
      poll();
      return;
    }
    byte[] setup = agent.target.setupRequest(sub);
    if (setup == null) {
      setUp = true;
      poll();
    } else {
      c.send(setup);
    }
  }

  @Override
  public void onResponse(Conn c, HttpResponse response) {
    if (!setUp) {
      if (!agent.target.onSetup(sub, response)) {
        if ((response.status() == 503 || response.status() == 429) && ++setupRetries <= MAX_SETUP_RETRIES) {
          agent.setupRetries++;
          agent.loop.schedule(retryAfterMillis(response), () -> {
            if (c == conn && c.isOpen()) {
              onOpen(c); // else the connection closed meanwhile, and its reopening sets up anew
            }
          });
          return;
        }
        fail("setup answered " + response.status() + ": " + abbreviate(response.bodyText()));
        return;
      }
      byte[] next = agent.target.setupRequest(sub);
      if (next != null) {
        c.send(next);
        return;
      }
      setUp = true;
      poll();
      return;
    }
    waiting = false;
    if (agent.target.onPoll(sub, response, agent::onMessage)) {
      poll();
    } else {
      agent.pollErrors++;
      agent.noteError("poll answered " + response.status() + ": " + abbreviate(response.bodyText()));
      agent.loop.schedule(1000, this::poll);
    }
  }

  @Override
  public void onClose(Conn c, IOException cause) {
    waiting = false;
    if (cause == null || agent.closing || failed) {
      return;
    }
    agent.reopens++;
    retryOrFail(cause.getMessage());
  }

  boolean started() {
    return started;
  }

  private void poll() {
    if (conn == null || !conn.isOpen() || failed) {
      return;
    }
    conn.send(agent.target.pollRequest(sub));
    waiting = true;
    if (!started) {
      started = true;
      agent.onStarted(this);
    }
  }

  private void retryOrFail(String why) {
    if (++reopens > MAX_REOPENS) {
      fail("gave up after " + MAX_REOPENS + " reopens: " + why);
      return;
    }
    agent.loop.schedule(200L * Math.min(reopens, 10), this::open);
  }

  private void fail(String why) {
    if (failed) {
      return;
    }
    failed = true;
    waiting = false;
    agent.noteError(why);
    if (conn != null) {
      conn.close(true);
    }
    agent.onFailed(this);
  }

  /** The answer's {@code Retry-After} (seconds, 1–10), or 1 s. */
  private static long retryAfterMillis(HttpResponse response) {
    try {
      String value = response.header("retry-after");
      return value == null ? 1000 : 1000L * Math.max(1, Math.min(10, Integer.parseInt(value.trim())));
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 160) + "…";
  }
}
