package dev.addressable.relay.cluster;

import com.google.common.util.concurrent.MoreExecutors;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.text.Base64Url;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incarnation check of CLUSTER.md section 4. Redis's {@code run_id} and {@code master_replid}
 * (from {@code INFO}) are compared with those recorded in {@code <prefix>{g}:inc}; a difference
 * (a restart, a promotion) or a missing key (a flush, a restart that kept nothing) rotates the
 * token, by one script, so once however many nodes notice ({@code incarnation.lua}). Continuity
 * ({@code d}) is 1 only when this is a single primary (no replicas, not behind Sentinel) that
 * persists every write: {@code appendonly yes} and {@code appendfsync always} (asked with
 * {@code CONFIG GET}), or as {@code --redis-durability} says. The key also records a fingerprint of
 * the relay secret; a check by a node with another secret changes nothing and reports
 * {@link Outcome#FOREIGN}.
 *
 * <p>Run by {@link Gatekeeper} after each connect, while degraded and every 5 s; the gate opens on
 * its success. {@link #current} is what the store hands its scripts. Listeners hear each new value
 * on the executor, in order. Thread-safe.
 */
public final class Incarnation {

  static final Script SCRIPT = Script.resource("incarnation");

  private static final Logger LOG = LoggerFactory.getLogger(Incarnation.class);

  /** What one check found. */
  enum Outcome { SAME, ROTATED, CREATED, FOREIGN }

  /** One check's answer: the incarnation now ({@code null} when {@link Outcome#FOREIGN}) and what happened. */
  record Result(IncarnationToken token, Outcome outcome) {}

  private final StatefulRedisConnection<String, String> connection;
  private final Scripts scripts;
  private final StoreHealth health;
  private final ClusterConfig config;
  private final Fingerprint fingerprint;
  private final Executor executor;
  private final Executor notify;
  private final String key;
  private final List<Consumer<IncarnationToken>> listeners = new CopyOnWriteArrayList<>();
  private volatile IncarnationToken current;
  private volatile boolean warnedConfig;

  Incarnation(StatefulRedisConnection<String, String> connection, Scripts scripts, StoreHealth health,
      ClusterConfig config, Fingerprint fingerprint, Executor executor) {
    this.connection = connection;
    this.scripts = scripts;
    this.health = health;
    this.config = config;
    this.fingerprint = fingerprint;
    this.executor = executor;
    this.notify = MoreExecutors.newSequentialExecutor(executor);
    this.key = config.prefix() + "{g}:inc";
    scripts.register(SCRIPT);
  }

  /** The incarnation as of the last check; {@code null} before the first one passed. */
  public IncarnationToken current() {
    return current;
  }

  /** The key it lives in, {@code <prefix>{g}:inc}. */
  public String key() {
    return key;
  }

  /**
   * Hears every later new incarnation (a rotation, or the first one seen), on the executor, in
   * order; not one seen before it was added whose notice had not run yet.
   */
  public void addListener(Consumer<IncarnationToken> listener) {
    listeners.add(listener);
  }

  /** One check: reads {@code INFO} (and {@code CONFIG GET} if need be), then runs the script through the gate. */
  CompletionStage<Result> check() {
    CompletableFuture<String> info = Handoff.observed(health, executor, connection.async().info());
    CompletableFuture<Boolean> durable = durable();
    return info.thenCombine(durable, this::arguments)
        .thenCompose(args -> scripts.<List<Object>>runThroughGate(SCRIPT, ScriptOutputType.MULTI, List.of(key), args))
        .thenApply(this::apply);
  }

  private List<String> arguments(String info, boolean durable) {
    Map<String, String> fields = fields(info);
    String runId = fields.getOrDefault("run_id", "");
    String replId = fields.getOrDefault("master_replid", "");
    boolean singlePrimary = "master".equals(fields.get("role")) && "0".equals(fields.getOrDefault("connected_slaves", "0"))
        && !config.redis().sentinel();
    IncarnationToken last = current;
    return List.of(runId, replId, Base64Url.unique(8), singlePrimary && durable ? "1" : "0", fingerprint.value(),
        last == null ? "" : last.token());
  }

  /** Whether a restart of this Redis would keep every acknowledged write, as configured or as Redis says. */
  private CompletableFuture<Boolean> durable() {
    return switch (config.durability()) {
      case ALWAYS -> CompletableFuture.completedFuture(true);
      case NONE -> CompletableFuture.completedFuture(false);
      case AUTO -> Handoff.observed(health, executor, connection.async().configGet("appendonly", "appendfsync"))
          .handle((settings, failure) -> {
            if (failure == null) {
              return "yes".equals(settings.get("appendonly")) && "always".equals(settings.get("appendfsync"));
            }
            if (Handoff.unwrap(failure) instanceof RedisCommandExecutionException refused) {
              warnOnce(refused);
              return false;
            }
            throw new java.util.concurrent.CompletionException(failure);
          });
    };
  }

  private void warnOnce(RedisCommandExecutionException refused) {
    if (!warnedConfig) {
      warnedConfig = true;
      LOG.warn("Redis refused CONFIG GET ({}): a Redis restart counts as a loss (readers told missed). If Redis "
          + "persists every write (appendfsync always), say so with --redis-durability always", refused.getMessage());
    }
  }

  private Result apply(List<Object> answer) {
    Outcome outcome = Outcome.valueOf(String.valueOf(answer.get(3)).toUpperCase(java.util.Locale.ROOT));
    if (outcome == Outcome.FOREIGN) {
      return new Result(null, outcome);
    }
    IncarnationToken token = new IncarnationToken(String.valueOf(answer.get(0)), String.valueOf(answer.get(1)),
        "1".equals(String.valueOf(answer.get(2))));
    IncarnationToken before = current;
    current = token;
    if (outcome == Outcome.CREATED && token.previous().isEmpty()) {
      LOG.info("Redis holds no incarnation yet: the cluster starts in incarnation {}", token.token());
    } else if (outcome != Outcome.SAME) {
      LOG.warn("Redis {}: new incarnation {}; {}", outcome == Outcome.CREATED ? "lost its data (a flush, or a restart "
          + "that kept nothing)" : "restarted or changed its primary", token.token(),
          token.continuous() ? "every acknowledged write was kept" : "readers crossing it are told they missed messages");
    }
    if (!token.equals(before)) {
      List<Consumer<IncarnationToken>> told = List.copyOf(listeners); // not those added after this
      notify.execute(() -> told.forEach(listener -> listener.accept(token)));
    }
    return new Result(token, outcome);
  }

  /** {@code INFO}'s {@code name:value} lines. */
  static Map<String, String> fields(String info) {
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }
}
