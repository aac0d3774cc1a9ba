package dev.addressable.relay.config;

import java.util.Map;
import java.util.Optional;

/**
 * All of the relay's settings, one small record per area. Build it with {@link Options}.
 *
 * @param cluster cluster mode's settings; empty without {@code --redis} (state in memory)
 */
public record RelayConfig(
    ServerConfig server, InboxConfig inbox, PollConfig poll, EventConfig events, TopicConfig topics,
    PresenceConfig presence, LimitsConfig limits, AdminConfig admin, Optional<ClusterConfig> cluster) {

  /** The defaults, as if started with no flags and no environment. */
  public static RelayConfig defaults() {
    return Options.parse(new String[0], Map.of());
  }

  /** These settings with a different server area; handy for tests. */
  public RelayConfig withServer(ServerConfig server) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  public RelayConfig withInbox(InboxConfig inbox) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  public RelayConfig withPoll(PollConfig poll) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  public RelayConfig withPresence(PresenceConfig presence) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  public RelayConfig withLimits(LimitsConfig limits) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  public RelayConfig withAdmin(AdminConfig admin) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, cluster);
  }

  /** These settings in cluster mode with {@code cluster}, or in memory mode with {@code null}. */
  public RelayConfig withCluster(ClusterConfig cluster) {
    return new RelayConfig(server, inbox, poll, events, topics, presence, limits, admin, Optional.ofNullable(cluster));
  }
}
