package dev.addressable.relay.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a test's {@link RedisServer} runs: its persistence, its memory limit and any raw
 * {@code redis-server} arguments. Immutable; each {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * RedisOptions.defaults().persistence(Persistence.ALWAYS).maxMemory(8 << 20).args("--stream-node-max-bytes", "1024")
 * }</pre>
 *
 * @param binary the {@code redis-server} executable; {@code -Daddressable.redis-server=…} points elsewhere
 * @param persistence what survives a crash (RDB snapshots are always off: the tests are about the AOF)
 * @param maxMemoryBytes {@code maxmemory} with {@code maxmemory-policy noeviction}; 0 = no limit
 * @param extra raw arguments appended last, so they win over the others, e.g. {@code --tcp-keepalive 60}
 */
public record RedisOptions(Path binary, Persistence persistence, long maxMemoryBytes, List<String> extra) {

  /** The append-only file's setting (CLUSTER.md §11); what a kill9 and restart leaves. */
  public enum Persistence {
    /** {@code appendonly no}: a restart starts empty. */
    NONE,
    /** {@code appendfsync everysec}: a crash may lose about the last second. */
    EVERYSEC,
    /** {@code appendfsync always}: every acknowledged write survives a crash. */
    ALWAYS
  }

  public RedisOptions {
    if (maxMemoryBytes < 0) {
      throw new IllegalArgumentException("maxMemoryBytes < 0: " + maxMemoryBytes);
    }
    extra = List.copyOf(extra);
  }

  /** Debian's {@code redis-server}, nothing persisted, no memory limit. */
  public static RedisOptions defaults() {
    return new RedisOptions(Path.of(System.getProperty("addressable.redis-server", "/usr/bin/redis-server")),
        Persistence.NONE, 0, List.of());
  }

  public RedisOptions binary(Path executable) {
    return new RedisOptions(executable, persistence, maxMemoryBytes, extra);
  }

  public RedisOptions persistence(Persistence mode) {
    return new RedisOptions(binary, mode, maxMemoryBytes, extra);
  }

  /** {@code maxmemory bytes} with {@code noeviction}: writes past it fail with OOM, nothing is evicted. */
  public RedisOptions maxMemory(long bytes) {
    return new RedisOptions(binary, persistence, bytes, extra);
  }

  /** Adds raw arguments, e.g. {@code args("--stream-node-max-bytes", "1024")}. */
  public RedisOptions args(String... raw) {
    List<String> more = new ArrayList<>(extra);
    more.addAll(List.of(raw));
    return new RedisOptions(binary, persistence, maxMemoryBytes, more);
  }

  /** The command-line arguments these options stand for (port, bind and directory are the server's). */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of("--save", ""));
    switch (persistence) {
      case NONE -> args.addAll(List.of("--appendonly", "no"));
      case EVERYSEC -> args.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
      case ALWAYS -> args.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    }
    if (maxMemoryBytes > 0) {
      args.addAll(List.of("--maxmemory", Long.toString(maxMemoryBytes), "--maxmemory-policy", "noeviction"));
    }
    args.addAll(extra);
    return args;
  }
}
