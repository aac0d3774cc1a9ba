package dev.addressable.relay.cluster;

import dev.addressable.relay.address.TooManyChannelsException;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.TooManyTopicsException;
import dev.addressable.relay.store.BadCursor;
import dev.addressable.relay.store.StoreFull;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.text.Base64Url;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The store's Lua scripts ({@code resources/.../cluster/store/<name>.lua}, each after the shared
 * {@code prelude.lua}) and how {@link RedisStore} calls them: every call passes the same leading
 * arguments (the time source, a fresh epoch candidate, this node, the prefix, the settings), so a
 * script needs nothing but its keys and its own arguments, and makes no randomness.
 *
 * <p>Answers come as Lettuce's {@link ScriptOutputType#MULTI} lists, on the cluster executor.
 * Failures become the store's values: {@link StoreUnavailable} (with whether the call may have
 * run), {@link StoreFull} for Redis's {@code OOM}, and the refusals the scripts raise by name
 * ({@code BADCURSOR}, {@code TOOMANYCHANNELS}, {@code TOOMANYTOPICS}). A script that finds no
 * incarnation key ({@code NOINC}: Redis was flushed) makes the node check the incarnation, then
 * runs once more. Thread-safe.
 */
final class StoreScripts {

  private static final String PRELUDE = source("prelude");

  private final ClusterNode cluster;
  private final LongSupplier clock;
  private final List<String> settings;
  private final Map<String, Script> byName = new ConcurrentHashMap<>();
  /** After the subject's key and the incarnation's: the event stream and agenda, if events are on. */
  private final List<String> eventKeys;

  /**
   * @param clock the time every script uses, or {@code null} for Redis's own {@code TIME} (always,
   *     outside tests: nodes' clocks may differ, Redis has one)
   * @param events whether scripts write events for the webhook and the reaper's agenda (this node
   *     has a webhook)
   */
  StoreScripts(ClusterNode cluster, RelayConfig config, LongSupplier clock, boolean events) {
    this.cluster = cluster;
    this.clock = clock;
    StoreKeys keys = new StoreKeys(cluster.config().prefix());
    this.eventKeys = events ? List.of(keys.events(), keys.agenda()) : List.of();
    long lease = cluster.config().lease().toMillis();
    this.settings = List.of(
        Long.toString(config.inbox().idleExpiry().toMillis()),
        Long.toString(config.presence().grace().toMillis()),
        Integer.toString(config.inbox().maxMessages()),
        Long.toString(config.inbox().maxBytes()),
        Long.toString(config.inbox().maxAge().toMillis()),
        Long.toString(lease),
        Long.toString(config.topics().expiry().toMillis()),
        Long.toString(config.events().expiry().toMillis()),
        Integer.toString(config.inbox().maxChannelsPerClient()),
        Integer.toString(config.topics().maxPerChannel()),
        Long.toString(cluster.config().midWindow().toMillis()));
    for (String name : List.of("open", "send", "send_client", "read", "release", "renew", "confirm", "confirmed",
        "status", "status_client", "subscribe", "unsubscribe", "topic_read", "topic_member", "publish",
        "topic_confirm", "topic_confirmed", "var_await", "var_release", "var_set", "read_nw", "topic_read_nw", "lease",
        "reaper", "agenda", "reap", "leave")) {
      Script script = script(name);
      byName.put(name, script);
      cluster.scripts().register(script);
    }
  }

  /**
   * Runs script {@code name} on {@code key} (a channel's, topic's or variable's base key, or a
   * client's channel hash) for {@code subject} (how hints name it), with its own {@code args}.
   */
  CompletionStage<List<Object>> run(String name, String key, String subject, String... args) {
    return attempt(name, key, subject, args).handle((answer, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(answer);
      }
      if (message(failure).startsWith("NOINC")) {
        return cluster.checkNow().thenCompose(token -> attempt(name, key, subject, args));
      }
      return CompletableFuture.<List<Object>>failedFuture(failure);
    }).thenCompose(stage -> stage).exceptionally(failure -> {
      throw new CompletionException(translate(failure));
    });
  }

  private CompletionStage<List<Object>> attempt(String name, String key, String subject, String... args) {
    List<String> argv = new ArrayList<>(16 + args.length);
    argv.add(clock == null ? "" : Long.toString(clock.getAsLong()));
    argv.add(Base64Url.unique(8));
    argv.add(cluster.node().value());
    argv.add(cluster.config().prefix());
    argv.addAll(settings);
    argv.add(subject);
    argv.addAll(Arrays.asList(args));
    List<String> keys = new ArrayList<>(2 + eventKeys.size());
    keys.add(key);
    keys.add(cluster.incarnation().key());
    keys.addAll(eventKeys);
    return cluster.scripts().run(byName.get(name), ScriptOutputType.MULTI, keys, argv);
  }

  /** The store's value for a failed call. */
  static Throwable translate(Throwable failure) {
    Throwable t = Handoff.unwrap(failure);
    if (t instanceof RedisUnavailableException unavailable) {
      return new StoreUnavailable(unavailable.getMessage(), unavailable.outcomeKnown());
    }
    String message = message(t);
    if (message.startsWith("BADCURSOR ")) {
      return new BadCursor(reason(message, "BADCURSOR "));
    }
    if (message.startsWith("TOOMANYCHANNELS ")) {
      return TooManyChannelsException.perClient(reason(message, "TOOMANYCHANNELS "));
    }
    if (message.startsWith("TOOMANYTOPICS ")) {
      return new TooManyTopicsException(Integer.parseInt(reason(message, "TOOMANYTOPICS ").trim()));
    }
    if (message.startsWith("OOM")) {
      return new StoreFull("Redis is at its memory limit (maxmemory): nothing more can be stored now");
    }
    if (message.startsWith("NOINC")) {
      return new StoreUnavailable("Redis lost its incarnation key and the check did not restore it", true);
    }
    return t;
  }

  private static String message(Throwable failure) {
    return String.valueOf(Handoff.unwrap(failure).getMessage());
  }

  /** A script's own words, without what Redis adds after them (" script: <sha>, on @user_script…"). */
  private static String reason(String message, String code) {
    String text = message.substring(code.length());
    int added = text.indexOf(" script: ");
    return added < 0 ? text : text.substring(0, added);
  }

  /** The script after the prelude; a shebang line ({@code #!lua flags=no-writes}) stays first. */
  private static Script script(String name) {
    String own = source(name);
    String source;
    if (own.startsWith("#!")) {
      int eol = own.indexOf('\n');
      source = own.substring(0, eol + 1) + PRELUDE + "\n" + own.substring(eol + 1);
    } else {
      source = PRELUDE + "\n" + own;
    }
    return new Script("store/" + name, source, Script.sha1(source));
  }

  /** Whether a call failed because Redis is at its memory limit (see {@link #translate}). */
  static boolean isFull(Throwable failure) {
    return translate(failure) instanceof StoreFull;
  }

  private static String source(String name) {
    try (InputStream in = StoreScripts.class.getResourceAsStream("store/" + name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("no script store/" + name + ".lua in the relay's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read store/" + name + ".lua", e);
    }
  }
}
