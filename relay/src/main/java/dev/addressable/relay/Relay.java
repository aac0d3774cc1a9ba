package dev.addressable.relay;

import dev.addressable.relay.cluster.ClusterNode;
import dev.addressable.relay.cluster.RedisStore;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.PresenceConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.http.Extension;
import dev.addressable.relay.http.HttpServer;
import dev.addressable.relay.http.SelectorExecutor;
import dev.addressable.relay.http.WorkerPool;
import dev.addressable.relay.http.route.Endpoints;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.memory.HeapWatchdog;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.metrics.ProcessMemory;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.secret.RelaySecret;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.memory.MemoryStore;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.Streams;
import dev.addressable.relay.variable.Doorbells;
import dev.addressable.relay.webhook.WebhookEvents;
import dev.addressable.relay.webhook.WebhookOutlet;
import dev.addressable.relay.webhook.Webhooks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running relay: its store (channels, inboxes, topics, event variables), the node's side of
 * them (receivers and senders waiting, parking) and its HTTP server. Start with {@link #start};
 * {@link #close} stops it and answers nothing further.
 */
public final class Relay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private final RelayConfig config;
  private final Metrics metrics;
  private final Parker parker;
  private final Store store;
  private final Receivers receivers;
  private final Hubs hubs;
  private final ClientPolls clientPolls;
  private final Webhooks webhooks;
  private final MemoryBudget budget;
  private final WorkerPool pool;
  private final HttpServer http;
  /** Cluster mode's connection to Redis, or {@code null} in memory mode. */
  private final ClusterNode cluster;
  private ExecutorService clusterCallbacks;

  private Relay(RelayConfig config, LongSupplier clock, List<Extension> extensions) {
    this.config = config;
    KeyRing keys = new KeyRing(RelaySecret.loadOrCreate(config.server().dataDir()));
    // First, so that a relay refused by Redis (unreachable, another secret) has started nothing else.
    this.cluster = config.cluster().map(c -> startCluster(c, keys)).orElse(null);
    this.metrics = new Metrics(clock);
    this.budget = new MemoryBudget(config.limits().memoryBudget());
    warnIfBudgetPastHeap(budget.limit());
    this.pool = new WorkerPool(config.server().maxThreads());
    this.parker = new Parker(config.poll().maxParked(), pool, budget);
    PresenceConfig presenceConfig = config.presence();
    if (presenceConfig.webhook() != null) {
      this.webhooks = new Webhooks(presenceConfig.webhook(), presenceConfig.webhookSecret(),
          presenceConfig.webhookRetries(), presenceConfig.webhookQueue(), Duration.ofMillis(250), metrics);
    } else {
      this.webhooks = null;
    }
    RelayEvents events = webhooks == null ? metrics : RelayEvents.all(metrics, new WebhookEvents(webhooks, Json::write));
    this.store = cluster != null
        ? new RedisStore(cluster, config, webhooks == null ? null : new WebhookOutlet(webhooks, Json::write, metrics))
        : new MemoryStore(config, clock, events, budget);
    // Bulk wake-ups run on Jetty's selector threads once the server listens (SelectorExecutor).
    SelectorExecutor wakes = new SelectorExecutor(pool);
    this.receivers = new Receivers(store, wakes, pool, clock);
    Receipts receipts = new Receipts(store, parker, pool);
    Doorbells doorbells = new Doorbells(store, parker, pool);
    store.wakeups(new NodeWakeups(receivers, receipts, doorbells));
    LongPoll longPoll = new LongPoll(store, receivers, parker, config.poll());
    this.hubs = new Hubs(clock);
    Streams streams = new Streams(receivers, parker, config.poll().heartbeat(), config.poll().maxPerChannel(), pool, clock);
    this.clientPolls = new ClientPolls(config.poll().maxPerClient());

    metrics.gauge("addressable_channels_live", "Live channels.", () -> store.counts().channels());
    metrics.gauge("addressable_parked_requests", "Requests parked (polls and event-variable waits).", parker::parkedCount);
    metrics.gauge("addressable_topics", "Topics held.", () -> store.counts().topics());
    metrics.gauge("addressable_streams_open", "Open SSE and WebSocket streams.", streams::openCount);
    metrics.gauge("addressable_polls_over_client_cap_total",
        "Polls answered at once with an interval, and SSE streams refused, because their client held"
            + " --max-polls-per-client polls and streams here.", clientPolls::overCap);
    metrics.gauge("addressable_hubs_open", "Clients whose tabs share one connection (a hub) to this relay now.",
        hubs::openCount);
    metrics.gauge("addressable_hub_supersessions_total",
        "Hub connections closed because a newer one of the same client connected (a new leader tab).", hubs::supersessions);
    metrics.gauge("addressable_event_variables", "Event variables held.", () -> store.counts().variables());
    metrics.gauge("addressable_jvm_threads", "Live JVM threads.", () -> ManagementFactory.getThreadMXBean().getThreadCount());
    // Several processes behind one port (--reuse-port) answer scrapes in turn: the pid says which one did.
    metrics.gauge("addressable_process_id", "This relay's process id.", () -> ProcessHandle.current().pid());
    metrics.gauge("addressable_process_resident_bytes", "Resident memory of the relay process (Linux; 0 elsewhere).",
        ProcessMemory::residentBytes);
    metrics.gauge("addressable_memory_used_bytes", "Bytes held for messages, channels, topics and waiting requests.",
        budget::used);
    metrics.gauge("addressable_memory_in_flight_bytes", "Bytes of request bodies and answers on their way.",
        budget::inFlight);
    metrics.gauge("addressable_memory_limit_bytes", "The memory budget (--max-memory), held and in flight.", budget::limit);
    metrics.gauge("addressable_memory_refusals_total", "Requests refused because the memory budget had no room.",
        budget::refusals);
    if (store instanceof RedisStore redisStore) {
      metrics.gauge("addressable_redis_probe_failures_total",
          "Probes that found the pub/sub connection to Redis deaf; each rebuilt it.", cluster::probeFailures);
      metrics.gauge("addressable_redis_hints_dropped_total",
          "Wake-up hints from Redis dropped because the node's hint queue was full.", cluster::hintsDropped);
      metrics.gauge("addressable_redis_reaper_held",
          "1 while this relay holds the reaper's lease (presence, expiry and webhook delivery for the cluster).",
          () -> redisStore.reaping() ? 1 : 0);
      metrics.gauge("addressable_webhooks_backlog",
          "Webhook events waiting in Redis, as this relay saw them while it held the reaper's lease.",
          redisStore::webhookBacklog);
      metrics.gauge("addressable_redis_scripts_in_flight",
          "Scripts this relay sent to Redis that are not answered yet (at most 128).", () -> cluster.scripts().inFlight());
      metrics.gauge("addressable_redis_scripts_waiting",
          "Scripts waiting at this relay for room among those in flight; past 65,536 requests get 503 overloaded.",
          () -> cluster.scripts().waiting());
      metrics.gauge("addressable_redis_resweeps_total",
          "Re-sweeps of the channels and topics held here, after hints may have been lost.", redisStore::sweeps);
    }

    this.http = new HttpServer(config,
        Endpoints.of(config, store,
            new Endpoints.Node(receivers, receipts, doorbells, longPoll, streams, parker, hubs, clientPolls), keys, metrics, budget, pool),
        pool, wakes, metrics, budget, extensions);
  }

  /**
   * Starts a relay and returns once it listens.
   *
   * @throws dev.addressable.relay.config.StartupException when it cannot, for a reason the
   *     operator must fix (the port is taken); nothing is left running then
   */
  public static Relay start(RelayConfig config) {
    return start(config, List.of());
  }

  /**
   * Starts a relay inside an application: {@code extensions} add the application's own routes to
   * the relay's server, as the samples' backends do.
   */
  public static Relay start(RelayConfig config, List<Extension> extensions) {
    return start(config, System::currentTimeMillis, extensions);
  }

  /**
   * Starts a relay that takes the time from {@code clock} (epoch milliseconds) wherever it dates
   * something: message timestamps, ages and TTLs, presence and its grace, idle expiry, the expiry
   * of event variables and topics. Waits on sockets (poll timeouts, heartbeats, the sweep's
   * period) keep real time. For tests, which move the clock on instead of sleeping.
   */
  public static Relay start(RelayConfig config, LongSupplier clock, List<Extension> extensions) {
    Fatal.install();
    HeapWatchdog.install();
    Relay relay = new Relay(config, clock, extensions);
    try {
      relay.http.start();
    } catch (RuntimeException e) {
      relay.release();
      throw e;
    }
    relay.parker.every(sweepPeriod(config), "the housekeeping sweep", relay::sweep);
    return relay;
  }

  /** Joins the cluster: connects to Redis and passes the incarnation check, or throws. */
  private ClusterNode startCluster(ClusterConfig cluster, KeyRing keys) {
    clusterCallbacks = Executors.newFixedThreadPool(2, new ThreadFactory() {
      private final AtomicInteger count = new AtomicInteger();

      @Override
      public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "addressable-cluster-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      }
    });
    try {
      return ClusterNode.start(cluster, keys, clusterCallbacks);
    } catch (RuntimeException e) {
      clusterCallbacks.shutdownNow();
      throw e;
    }
  }

  private static void warnIfBudgetPastHeap(long budget) {
    long heap = Runtime.getRuntime().maxMemory();
    if (budget > heap / 10 * 9) {
      LOG.warn("--max-memory ({} MiB) is more than 90% of the heap ({} MiB): OutOfMemoryError becomes reachable, "
          + "and the relay would exit on it; raise -Xmx or lower --max-memory", budget >> 20, heap >> 20);
    }
  }

  private static Duration sweepPeriod(RelayConfig config) {
    long quarter = config.inbox().idleExpiry().toMillis() / 4;
    long halfGrace = config.presence().grace().toMillis() / 2;
    return Duration.ofMillis(Math.max(250, Math.min(Math.min(quarter, halfGrace), 30_000)));
  }

  /**
   * Drops what expired by the clock (idle channels, old messages, unused variables and topics) and
   * reports channels gone offline. Runs every {@link #sweepPeriod}; package-visible so that a test
   * that moved the clock on can run it at once.
   */
  void sweep() {
    metrics.channelsExpired(store.sweep());
    receivers.sweep(config.inbox().idleExpiry().toMillis());
    hubs.sweep(config.inbox().idleExpiry().toMillis());
  }

  public int port() {
    return http.port();
  }

  public RelayConfig config() {
    return config;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Where everything receivers and senders share is kept. */
  public Store store() {
    return store;
  }

  /** The receivers waiting at this relay, by channel. */
  public Receivers receivers() {
    return receivers;
  }

  public MemoryBudget budget() {
    return budget;
  }

  /** The polls and SSE streams each client holds at this relay ({@code --max-polls-per-client}). */
  public ClientPolls clientPolls() {
    return clientPolls;
  }

  /** After a failed start: stops the threads the constructor started (the server stopped itself). */
  private void release() {
    parker.drain();
    if (webhooks != null) {
      webhooks.close();
    }
    metrics.close();
    closeCluster();
  }

  private void closeCluster() {
    if (store instanceof RedisStore redis) {
      redis.close();
    }
    if (cluster != null) {
      cluster.close();
      clusterCallbacks.shutdown();
    }
  }

  /**
   * Stops taking connections, then answers every parked receiver (empty answers, stream
   * heartbeats) and stops serving. The listener closes first: a receiver that reconnects during
   * the close is refused rather than served by this relay's drained parker ({@code shutting_down})
   * again and again, which kept reconnecting browsers here until the server stopped.
   */
  @Override
  public void close() {
    http.stopAccepting();
    http.closeStreams();
    parker.drain();
    http.stop();
    if (webhooks != null) {
      webhooks.close();
    }
    metrics.close();
    closeCluster();
  }
}
