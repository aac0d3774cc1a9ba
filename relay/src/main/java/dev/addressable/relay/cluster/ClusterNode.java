package dev.addressable.relay.cluster;

import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.StartupException;
import dev.addressable.relay.secret.KeyRing;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay's place in a cluster: its {@link NodeId}, its {@link RedisConnections}, the
 * {@link Scripts} it runs, the {@link Incarnation} it checks and the {@link StoreHealth} that
 * gates them. {@link #start} returns only once the first incarnation check passed, so a relay
 * with another secret than the cluster's, or without a usable Redis, never serves.
 *
 * <p>Lifecycle: start, then {@link #close}. After a start, Redis may come and go: the node turns
 * degraded and ready again by itself ({@link StoreHealth}). Callbacks run on the executor given
 * to {@link #start}.
 */
public final class ClusterNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  /** How long the first check may take at start: a few retries of a slow Redis. */
  private static final Duration FIRST_CHECK = Duration.ofSeconds(10);

  /** Hears this node's pub/sub channel: the wake-up hints of CLUSTER.md section 6. */
  public interface HintListener {
    /** A hint, on the executor, in arrival order. */
    void hint(String message);

    /** The pub/sub connection is (again) subscribed: hints may have been lost before. On the executor. */
    default void resubscribed() {}

    /** Hints were lost (dropped, or the probe found the connection deaf). On the executor. */
    default void hintsLost() {}
  }

  private final ClusterConfig config;
  private final NodeId node;
  private final StoreHealth health;
  private final RedisConnections connections;
  private final Scripts scripts;
  private final Incarnation incarnation;
  private final Gatekeeper gatekeeper;
  private final Events events;
  private final PubSubProbe probe;
  private final Executor executor;

  private ClusterNode(ClusterConfig config, NodeId node, StoreHealth health, RedisConnections connections,
      Scripts scripts, Incarnation incarnation, Gatekeeper gatekeeper, Events events, Executor executor) {
    this.config = config;
    this.node = node;
    this.health = health;
    this.connections = connections;
    this.scripts = scripts;
    this.incarnation = incarnation;
    this.gatekeeper = gatekeeper;
    this.events = events;
    this.executor = executor;
    this.probe = new PubSubProbe(connections, health, executor, events::hintsLost);
  }

  /**
   * Connects to Redis, checks its incarnation and the relay secret's fingerprint, and opens the gate.
   *
   * @param keys the relay secret's key ring, for the fingerprint (the secret never leaves it)
   * @param executor where every callback and every completion of this package's futures run
   * @throws StartupException if Redis cannot be reached or used, or belongs to relays with another secret
   */
  public static ClusterNode start(ClusterConfig config, KeyRing keys, Executor executor) {
    NodeId node = NodeId.fresh(config.nodeName());
    StoreHealth health = new StoreHealth(executor, config.timeout(), System::nanoTime);
    Events events = new Events(health, executor);
    RedisConnections connections = RedisConnections.open(config, node, executor, events);
    health.confirmWith(() -> connections.command().async().ping());
    Scripts scripts = new Scripts(connections.command(), health, executor);
    Incarnation incarnation = new Incarnation(connections.command(), scripts, health, config, Fingerprint.of(keys), executor);
    Gatekeeper gatekeeper = new Gatekeeper(health, scripts, incarnation);
    events.gatekeeper = gatekeeper;
    ClusterNode cluster = new ClusterNode(config, node, health, connections, scripts, incarnation, gatekeeper, events,
        executor);
    try {
      Incarnation.Result first = firstCheck(config, gatekeeper);
      if (first.outcome() == Incarnation.Outcome.FOREIGN) {
        throw new StartupException("the relays already using Redis at " + config.redis().masked() + " (prefix "
            + config.prefix() + ") have another relay secret, so they would refuse this relay's client keys and it "
            + "theirs: give every relay the same relay.secret (copy it from another relay's --data-dir), or use "
            + "another --redis-prefix");
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    gatekeeper.start();
    gatekeeper.every(PubSubProbe.TICK, cluster.probe::tick);
    LOG.info("Cluster mode: node {} on Redis {} (prefix {}), incarnation {}", node, config.redis().masked(),
        config.prefix(), incarnation.current().token());
    return cluster;
  }

  private static Incarnation.Result firstCheck(ClusterConfig config, Gatekeeper gatekeeper) {
    try {
      return gatekeeper.check().toCompletableFuture().get(FIRST_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      String why = e instanceof TimeoutException ? "no answer within " + FIRST_CHECK.toSeconds() + " s"
          : String.valueOf(Handoff.unwrap(e).getMessage());
      throw new StartupException("Redis at " + config.redis().masked() + " could not be used: " + config.redis().scrub(why), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while checking Redis", e);
    }
  }

  /**
   * Checks the incarnation now (it is also checked every 5 s): what a script that found no
   * incarnation key does before it tries once more.
   *
   * @return the incarnation after the check, on the executor; a {@link RedisUnavailableException}
   *     if Redis failed or belongs to another secret
   */
  public CompletionStage<IncarnationToken> checkNow() {
    return gatekeeper.check().thenApply(result -> {
      if (result.outcome() == Incarnation.Outcome.FOREIGN) {
        throw RedisUnavailableException.gateClosed(health.reason());
      }
      return result.token();
    });
  }

  /**
   * Sends one plain command on the command connection, if the gate is open: like a script, its
   * outcome counts towards the degraded state and its future completes on the executor; a
   * {@link RedisUnavailableException} if the gate is closed or Redis failed.
   */
  <T> CompletionStage<T> command(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> call) {
    if (!health.isReady()) {
      return CompletableFuture.failedFuture(RedisUnavailableException.gateClosed(health.reason()));
    }
    return Handoff.observed(health, executor, call.apply(connections.command().async()));
  }

  /** Sets who hears this node's hints (replacing the one before; none at first). */
  public void setHintListener(HintListener listener) {
    events.hints = listener;
  }

  /** Probes of the pub/sub connection that found it deaf (each rebuilt it), since the start. */
  public long probeFailures() {
    return probe.failures();
  }

  /** Hints dropped because they came faster than this node handled them, since the start. */
  public long hintsDropped() {
    return connections.hints().dropped();
  }

  public ClusterConfig config() {
    return config;
  }

  public NodeId node() {
    return node;
  }

  public StoreHealth health() {
    return health;
  }

  public RedisConnections connections() {
    return connections;
  }

  public Scripts scripts() {
    return scripts;
  }

  public Incarnation incarnation() {
    return incarnation;
  }

  /** Stops checking and closes the connections; the health stays as it was last. */
  @Override
  public void close() {
    events.closed = true;
    gatekeeper.close();
    connections.close();
  }

  /** What the connections report, turned into the gate's moves and the hint listener's calls. */
  private static final class Events implements RedisConnections.Listener {

    private final StoreHealth health;
    private final Executor executor;
    volatile Gatekeeper gatekeeper;
    volatile HintListener hints;
    /** Set when the node closes its connections itself: their ends are no news. */
    volatile boolean closed;

    Events(StoreHealth health, Executor executor) {
      this.health = health;
      this.executor = executor;
    }

    @Override
    public void disconnected(RedisConnections.Role role) {
      if (role == RedisConnections.Role.COMMAND) {
        health.closeGate(closed ? "closed" : "lost the connection to Redis");
      }
      if (!closed) {
        try {
          executor.execute(() -> LOG.warn("Lost the {} connection to Redis; reconnecting", role.suffix()));
        } catch (RejectedExecutionException shutDown) {
          // The relay is stopping: nobody is left to tell.
        }
      }
    }

    @Override
    public void connected(RedisConnections.Role role) {
      LOG.info("Reconnected the {} connection to Redis", role.suffix());
      Gatekeeper checks = gatekeeper;
      if (role == RedisConnections.Role.COMMAND && checks != null) {
        checks.check();
      }
    }

    @Override
    public void subscribed() {
      HintListener listener = hints;
      if (listener != null && !closed) {
        listener.resubscribed();
      }
    }

    @Override
    public void hintsDropped() {
      hintsLost();
    }

    void hintsLost() {
      HintListener listener = hints;
      if (listener != null && !closed) {
        listener.hintsLost();
      }
    }

    @Override
    public void hint(String message) {
      HintListener listener = hints;
      if (listener != null) {
        listener.hint(message);
      }
    }
  }
}
