package dev.addressable.relay.cluster;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.MoreExecutors;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.StartupException;
import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's three connections to Redis, from one {@link RedisClient} set up as
 * {@link LettuceSettings} says, each named {@code relay-<node>-<role>} in {@code CLIENT LIST} so
 * an operator or a test can find and kill one: {@link Role#COMMAND} for scripts and commands,
 * {@link Role#PUBSUB} subscribed to this node's channel only, {@link Role#BLOCKING} for the
 * reaper's blocking reads. Lettuce reconnects each by itself (and re-subscribes the channel);
 * at the start, a connection Redis does not take yet is tried again for a while.
 *
 * <p>Threads: Lettuce calls back on its event loop. {@link Listener#disconnected} is called
 * there, at once, so the gate closes before anything else can happen; everything else reaches
 * the listener on the executor given to {@link #open}, one call at a time, in order.
 */
public final class RedisConnections implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  /** How long a starting relay waits for Redis to take its connections. */
  static final Duration STARTUP_PATIENCE = Duration.ofSeconds(15);
  /**
   * Tries of one connection at start, at least, however long each took: on a machine short of CPU
   * a starting relay's first try can outlast the whole patience.
   */
  static final int STARTUP_TRIES = 3;

  /** What a connection is for; its suffix ends its client name. */
  public enum Role {
    COMMAND("cmd"),
    PUBSUB("sub"),
    BLOCKING("blk");

    private final String suffix;

    Role(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  /** What the connections tell their owner. */
  public interface Listener {
    /** A connection was lost. On Lettuce's event loop: must be quick and must not block. */
    void disconnected(Role role);

    /** A connection was (re)established and passed its handshake. On the executor. */
    void connected(Role role);

    /** A message on this node's channel. On the executor, in the order they arrived. */
    void hint(String message);

    /** The pub/sub connection confirmed its subscription (at start, after each reconnect). On the executor. */
    default void subscribed() {}

    /** Messages arrived faster than they were handled and some were dropped. On the executor. */
    default void hintsDropped() {}
  }

  private final ClientResources resources;
  private final RedisClient client;
  private final String channel;
  private final StatefulRedisConnection<String, String> command;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final StatefulRedisConnection<String, String> blocking;
  private final HintQueue hints;

  private RedisConnections(ClientResources resources, RedisClient client, String channel,
      StatefulRedisConnection<String, String> command, StatefulRedisPubSubConnection<String, String> pubsub,
      StatefulRedisConnection<String, String> blocking, HintQueue hints) {
    this.resources = resources;
    this.client = client;
    this.channel = channel;
    this.command = command;
    this.pubsub = pubsub;
    this.blocking = blocking;
    this.hints = hints;
  }

  /**
   * Connects all three and subscribes to {@code <prefix>n:<node>}; returns once they are up.
   *
   * @throws StartupException if Redis cannot be reached or refuses (wrong password): the message
   *     names the URL with its password masked
   */
  public static RedisConnections open(ClusterConfig config, NodeId node, Executor executor, Listener listener) {
    Executor inOrder = MoreExecutors.newSequentialExecutor(executor);
    ClientResources resources = LettuceSettings.resources();
    RedisClient client = RedisClient.create(resources);
    client.setOptions(LettuceSettings.options(config));
    Duration timeout = config.timeout();
    String channel = node.channel(config.prefix());
    StatefulRedisConnection<String, String> command = null;
    StatefulRedisPubSubConnection<String, String> pubsub = null;
    StatefulRedisConnection<String, String> blocking = null;
    try {
      command = patiently(config, System::nanoTime, () -> client.connect(StringCodec.UTF8,
          LettuceSettings.uri(config, node.clientName(Role.COMMAND), timeout)));
      pubsub = patiently(config, System::nanoTime, () -> client.connectPubSub(StringCodec.UTF8,
          LettuceSettings.uri(config, node.clientName(Role.PUBSUB), timeout)));
      blocking = patiently(config, System::nanoTime, () -> client.connect(StringCodec.UTF8,
          LettuceSettings.uri(config, node.clientName(Role.BLOCKING), timeout.plus(LettuceSettings.BLOCKING_ALLOWANCE))));
      HintQueue hints = new HintQueue(HintQueue.CAPACITY, inOrder, listener::hint, listener::hintsDropped);
      pubsub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
          hints.offer(message);
        }

        @Override
        public void subscribed(String to, long count) {
          hints.heard();
          inOrder.execute(listener::subscribed);
        }
      });
      pubsub.async().subscribe(channel).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      watch(command, Role.COMMAND, listener, inOrder);
      watch(pubsub, Role.PUBSUB, listener, inOrder);
      watch(blocking, Role.BLOCKING, listener, inOrder);
      StatefulRedisPubSubConnection<String, String> subscriber = pubsub;
      // Lettuce subscribes a reconnected connection again to what it knew; subscribing once more
      // also restores a subscription that was lost while the connection stayed up.
      ((RedisChannelHandler<?, ?>) pubsub).addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
          inOrder.execute(() -> subscriber.async().subscribe(channel));
        }
      });
      return new RedisConnections(resources, client, channel, command, pubsub, blocking, hints);
    } catch (RedisException | IllegalArgumentException | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      closeQuietly(command, pubsub, blocking);
      shutdown(client, resources);
      String why = config.redis().scrub(reasons(Handoff.unwrap(e)));
      throw new StartupException("cannot use Redis at " + config.redis().masked() + ": " + why
          + " (check --redis, that Redis runs and that its password is right)", e instanceof IllegalArgumentException ? null : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(command, pubsub, blocking);
      shutdown(client, resources);
      throw new StartupException("interrupted while connecting to Redis", e);
    }
  }

  /**
   * One connection, tried again while Redis does not accept it yet (refused, or its handshake
   * slower than {@code --redis-timeout}: a Redis starting beside the relay, a loaded machine) for
   * up to {@link #STARTUP_PATIENCE} and at least {@link #STARTUP_TRIES} times; a refusal by Redis
   * itself (a wrong password) fails at once.
   */
  static <T> T patiently(ClusterConfig config, LongSupplier nanoClock, Supplier<T> connect) throws InterruptedException {
    long deadline = nanoClock.getAsLong() + STARTUP_PATIENCE.toNanos();
    for (int tries = 1, pause = 250; ; tries++, pause = Math.min(2_000, pause * 2)) {
      try {
        return connect.get();
      } catch (RedisConnectionException e) {
        boolean refusedByRedis = Throwables.getCausalChain(e).stream().anyMatch(RedisCommandExecutionException.class::isInstance);
        boolean outOfPatience = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline;
        if (refusedByRedis || outOfPatience && tries >= STARTUP_TRIES) {
          throw e;
        }
        LOG.warn("Redis at {} does not take connections yet ({}); trying again in {} ms", config.redis().masked(),
            config.redis().scrub(reasons(e)), pause);
        Thread.sleep(pause);
      }
    }
  }

  /** The messages of a failure and its causes ("Unable to connect to …: WRONGPASS …"), each once. */
  private static String reasons(Throwable failure) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && out.indexOf(message) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(message);
      }
    }
    return out.length() == 0 ? failure.getClass().getSimpleName() : out.toString();
  }

  private static void watch(StatefulConnection<String, String> connection, Role role, Listener listener, Executor inOrder) {
    ((RedisChannelHandler<?, ?>) connection).addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        inOrder.execute(() -> listener.connected(role));
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        listener.disconnected(role);
      }
    });
  }

  /** For scripts and single commands; its command timeout is {@code --redis-timeout}. */
  public StatefulRedisConnection<String, String> command() {
    return command;
  }

  /** Subscribed to {@link #channel()} only; publish through {@link #command()}. */
  public StatefulRedisPubSubConnection<String, String> pubsub() {
    return pubsub;
  }

  /**
   * For blocking reads ({@code XREADGROUP … BLOCK}): its timeout is {@code --redis-timeout} plus
   * {@link LettuceSettings#BLOCKING_ALLOWANCE}, so a read must block for less than that.
   */
  public StatefulRedisConnection<String, String> blocking() {
    return blocking;
  }

  /** This node's pub/sub channel, {@code <prefix>n:<node>}. */
  public String channel() {
    return channel;
  }

  /** What the pub/sub connection heard lately, and what it dropped. */
  HintQueue hints() {
    return hints;
  }

  /**
   * Closes the pub/sub connection's socket, keeping the connection: Lettuce reconnects it and
   * subscribes again. For a subscription that is open but deaf (CLUSTER.md section 6, the probe).
   */
  void rebuildPubSub() {
    pubsub.async().subscribe(channel); // in case only the subscription was lost
    RedisChannelWriter writer = ((RedisChannelHandler<?, ?>) pubsub).getChannelWriter();
    while (writer instanceof Delegating<?> delegating && delegating.getDelegate() instanceof RedisChannelWriter inner) {
      writer = inner;
    }
    if (writer instanceof DefaultEndpoint endpoint) {
      endpoint.disconnect();
    }
  }

  /** Whether the connection of {@code role} is up now. */
  public boolean isConnected(Role role) {
    return switch (role) {
      case COMMAND -> command.isOpen();
      case PUBSUB -> pubsub.isOpen();
      case BLOCKING -> blocking.isOpen();
    };
  }

  /** Closes the connections and stops Lettuce's threads (waits up to about 2 s). */
  @Override
  public void close() {
    closeQuietly(command, pubsub, blocking);
    shutdown(client, resources);
  }

  private static void closeQuietly(StatefulConnection<?, ?>... connections) {
    for (StatefulConnection<?, ?> connection : connections) {
      if (connection != null) {
        try {
          connection.close();
        } catch (RuntimeException e) {
          // Closing what is already broken: nothing left to do.
        }
      }
    }
  }

  private static void shutdown(RedisClient client, ClientResources resources) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
