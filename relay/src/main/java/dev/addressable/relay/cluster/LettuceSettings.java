package dev.addressable.relay.cluster;

import dev.addressable.relay.config.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.ExtendedKeepAliveSupport;
import io.lettuce.core.resource.IOUringProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce as CLUSTER.md section 8 wants it: fail fast and buffer nothing. Lettuce's defaults
 * queue commands while disconnected, replay them after a reconnect and never bound the queue:
 * a relay would then answer 202 for a send that Redis runs minutes later, or twice.
 */
final class LettuceSettings {

  /** Commands waiting for Redis on one connection at most; one more is refused at once. */
  static final int REQUEST_QUEUE = 50_000;
  /** How long a blocking connection's command may block, beyond {@code --redis-timeout}. */
  static final Duration BLOCKING_ALLOWANCE = Duration.ofSeconds(10);
  /** Reconnect delays: the first at least 100 ms after a disconnect (the gate closes first), at most 5 s. */
  static final Duration RECONNECT_MIN = Duration.ofMillis(100);
  static final Duration RECONNECT_MAX = Duration.ofSeconds(5);
  /** Unacknowledged data on a connection this long means the peer is gone (needs epoll or io_uring). */
  static final Duration TCP_USER_TIMEOUT = Duration.ofSeconds(15);

  private LettuceSettings() {}

  /**
   * Lettuce's threads and timers, with a jittered reconnect delay: the first attempt after 100–200 ms,
   * then doubling, capped at 2.5–5 s, so a fleet of relays does not reconnect in step.
   */
  static ClientResources resources() {
    return ClientResources.builder()
        .reconnectDelay(Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 2 * RECONNECT_MIN.toMillis(), TimeUnit.MILLISECONDS))
        .build();
  }

  static ClientOptions options(ClusterConfig config) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        // A command written before a disconnect is failed (outcome unknown), never sent again.
        .replayFilter(command -> true)
        .requestQueueSize(REQUEST_QUEUE)
        .pingBeforeActivateConnection(true)
        // Each connection's own timeout (--redis-timeout; longer on the blocking one).
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands().connectionTimeout().build())
        .socketOptions(socketOptions(config.timeout()))
        .maintNotificationsConfig(MaintNotificationsConfig.disabled())
        .build();
  }

  /**
   * Keep-alive probes after 10 s idle, every 5 s, 3 of them, where the transport can set them
   * (epoll, io_uring, NIO on Linux); {@code TCP_USER_TIMEOUT} where a native transport is present.
   */
  private static SocketOptions socketOptions(Duration connectTimeout) {
    SocketOptions.Builder socket = SocketOptions.builder().connectTimeout(connectTimeout).tcpNoDelay(true);
    if (ExtendedKeepAliveSupport.isSupported()) {
      socket.keepAlive(SocketOptions.KeepAliveOptions.builder()
          .enable().idle(Duration.ofSeconds(10)).interval(Duration.ofSeconds(5)).count(3).build());
    } else {
      socket.keepAlive(true);
    }
    if (nativeTransport()) {
      socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(TCP_USER_TIMEOUT).build());
    }
    return socket.build();
  }

  /** Whether Lettuce runs on epoll or io_uring, the transports that can set {@code TCP_USER_TIMEOUT}. */
  static boolean nativeTransport() {
    return EpollProvider.isAvailable() || IOUringProvider.isAvailable();
  }

  /**
   * The URL of one connection: its name in {@code CLIENT LIST} and its command timeout. Parsed
   * anew and set, not copied with {@code RedisURI.builder(source)}, which drops a URL's Sentinels.
   */
  static RedisURI uri(ClusterConfig config, String clientName, Duration timeout) {
    RedisURI uri = RedisURI.create(config.redis().text());
    uri.setClientName(clientName);
    uri.setTimeout(timeout);
    return uri;
  }
}
