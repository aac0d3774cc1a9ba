package dev.addressable.relay.cluster;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The liveness probe of CLUSTER.md section 6: a pub/sub connection can stay open and subscribed
 * while nothing reaches it (a half-dead link, a proxy that stopped forwarding, a subscription
 * lost behind the client's back), and then every hint to this node is lost while health looks
 * green. After {@link #SILENCE} without a message, the node publishes a probe ({@code p}) to its
 * own channel through the command connection; if nothing at all is heard within {@link #ECHO},
 * the probe failed: the pub/sub socket is closed (Lettuce reconnects and subscribes again), the
 * failure is counted, and {@code failed} is told, so the node looks for what the lost hints
 * announced.
 *
 * <p>{@link #tick} is called about once a second from one timer thread; it never blocks. The
 * probe waits while the node is not ready or the pub/sub connection is down: those are known
 * already, and Lettuce is reconnecting.
 */
final class PubSubProbe {

  private static final Logger LOG = LoggerFactory.getLogger(PubSubProbe.class);

  static final Duration SILENCE = Duration.ofSeconds(5);
  static final Duration ECHO = Duration.ofSeconds(5);
  static final Duration TICK = Duration.ofSeconds(1);

  private final RedisConnections connections;
  private final StoreHealth health;
  private final Executor executor;
  private final Runnable failed;
  private final AtomicLong failures = new AtomicLong();
  /** Only the timer thread writes these. */
  private boolean pending;
  private long sentAt;

  /** @param failed told on the executor after each failed probe, once the socket was closed */
  PubSubProbe(RedisConnections connections, StoreHealth health, Executor executor, Runnable failed) {
    this.connections = connections;
    this.health = health;
    this.executor = executor;
    this.failed = failed;
  }

  /** Probes failed since the start: each closed a deaf pub/sub connection. */
  long failures() {
    return failures.get();
  }

  void tick() {
    long now = System.nanoTime();
    if (!health.isReady() || !connections.isConnected(RedisConnections.Role.PUBSUB)) {
      pending = false;
      return;
    }
    long heard = connections.hints().lastHeard();
    if (pending) {
      if (heard - sentAt > 0) {
        pending = false; // the echo, or any other message: the connection hears
      } else if (now - sentAt >= ECHO.toNanos()) {
        pending = false;
        failures.incrementAndGet();
        LOG.warn("The pub/sub connection to Redis heard nothing for {} s, not even its own probe; rebuilding it",
            (now - heard) / 1_000_000_000L);
        connections.rebuildPubSub();
        executor.execute(failed);
      }
      return;
    }
    if (now - heard >= SILENCE.toNanos()) {
      pending = true;
      sentAt = now;
      Handoff.observed(health, executor, connections.command().async().publish(connections.channel(), "p"))
          .exceptionally(failure -> 0L); // unanswered: the echo does not come either, and that is the verdict
    }
  }
}
