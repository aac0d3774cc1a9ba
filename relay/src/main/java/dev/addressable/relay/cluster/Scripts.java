package dev.addressable.relay.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay's Lua scripts on the command connection: by {@code EVALSHA}, one round trip,
 * after loading them ({@code SCRIPT LOAD}) at each connect; a {@code NOSCRIPT} answer (Redis
 * restarted, or {@code SCRIPT FLUSH}) loads that script and tries once more.
 *
 * <p>{@link #run} is gated: while {@link StoreHealth} is not ready it fails at once with a
 * {@link RedisUnavailableException} whose outcome is known (nothing was sent). It is also bounded:
 * at most {@link InFlight#MOST} scripts of this node are in Redis at once, the rest wait here
 * ({@link InFlight}). Only the
 * incarnation check runs scripts through the closed gate. Every outcome is reported to the
 * health (timeouts count towards the degraded state); futures complete on the executor given at
 * construction, failures of availability as {@link RedisUnavailableException}. Thread-safe.
 */
public final class Scripts {

  private static final Logger LOG = LoggerFactory.getLogger(Scripts.class);

  private final StatefulRedisConnection<String, String> connection;
  private final StoreHealth health;
  private final Executor executor;
  /** Every script run so far, or registered, by name: what {@link #loadAll} loads after a connect. */
  private final Map<String, Script> known = new ConcurrentHashMap<>();
  private final InFlight inFlight = new InFlight();

  public Scripts(StatefulRedisConnection<String, String> connection, StoreHealth health, Executor executor) {
    this.connection = connection;
    this.health = health;
    this.executor = executor;
  }

  /** Makes {@code script} one of those loaded at each connect, so its first call finds it loaded. */
  public void register(Script script) {
    known.putIfAbsent(script.name(), script);
  }

  /**
   * Runs {@code script} with {@code keys} and {@code args} if the gate is open.
   *
   * @param type how Redis's answer is decoded, e.g. {@link ScriptOutputType#MULTI} for a table
   *     (its strings arrive as {@code String}s)
   * @return the answer, on the executor; or a {@link RedisUnavailableException}
   */
  public <T> CompletionStage<T> run(Script script, ScriptOutputType type, List<String> keys, List<String> args) {
    if (!health.isReady()) {
      return CompletableFuture.failedFuture(RedisUnavailableException.gateClosed(health.reason()));
    }
    return inFlight.<T>submit(() -> {
      if (!health.isReady()) { // closed while it waited here
        return CompletableFuture.failedFuture(RedisUnavailableException.gateClosed(health.reason()));
      }
      return this.<T>runThroughGate(script, type, keys, args).toCompletableFuture();
    });
  }

  /** Scripts sent to Redis and not answered yet. */
  public int inFlight() {
    return inFlight.running();
  }

  /** Scripts waiting at this node for room in Redis ({@link InFlight}). */
  public int waiting() {
    return inFlight.waiting();
  }

  /** {@link #run} whatever the gate says: for the check that opens it, and nothing else. */
  <T> CompletionStage<T> runThroughGate(Script script, ScriptOutputType type, List<String> keys, List<String> args) {
    register(script);
    RedisAsyncCommands<String, String> redis = connection.async();
    String[] keyArray = keys.toArray(String[]::new);
    String[] argArray = args.toArray(String[]::new);
    CompletableFuture<T> first = redis.<T>evalsha(script.sha(), type, keyArray, argArray).toCompletableFuture();
    CompletableFuture<T> answered = first.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (Handoff.unwrap(failure) instanceof RedisNoScriptException) {
        return load(redis, script).thenCompose(sha -> redis.<T>evalsha(sha, type, keyArray, argArray));
      }
      return CompletableFuture.<T>failedFuture(Handoff.unwrap(failure));
    }).thenCompose(stage -> stage);
    return observed(answered);
  }

  /** Loads every known script; after each (re)connect, before the gate opens. */
  CompletionStage<Void> loadAll() {
    RedisAsyncCommands<String, String> redis = connection.async();
    List<CompletableFuture<String>> loads = new ArrayList<>();
    known.values().forEach(script -> loads.add(load(redis, script)));
    return observed(CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)));
  }

  private static CompletableFuture<String> load(RedisAsyncCommands<String, String> redis, Script script) {
    return redis.scriptLoad(script.source()).toCompletableFuture().thenApply(sha -> {
      if (!script.sha().equals(sha)) {
        LOG.warn("Redis loaded {} as {}, not as {}; calling it by Redis's digest", script.name(), sha, script.sha());
      }
      return sha;
    });
  }

  private <T> CompletionStage<T> observed(CompletableFuture<T> call) {
    return Handoff.observed(health, executor, call);
  }
}
