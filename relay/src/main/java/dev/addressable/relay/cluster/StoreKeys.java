package dev.addressable.relay.cluster;

import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;

/**
 * The base keys of CLUSTER.md section 3, with the configured prefix and their hash tags: a
 * channel's {@code <P>{C}:h:H} (its scripts add {@code :m :l :r :w :t :i:<mid>}), a client's
 * channel hash {@code <P>{C}:ch}, a topic's {@code <P>{t:T}}, a variable's {@code <P>{ev:N}}, and
 * the reaper's keys of the shared tag {@code {g}}. Ids
 * and names are {@code [A-Za-z0-9_-]}, so no key can break out of its tag. Never logged: a
 * channel's key is its address.
 */
record StoreKeys(String prefix) {

  String channel(ChannelId channel) {
    return prefix + "{" + channel.client() + "}:h:" + channel.name();
  }

  String client(ClientId client) {
    return prefix + "{" + client.value() + "}:ch";
  }

  String topic(TopicId topic) {
    return prefix + "{t:" + topic.value() + "}";
  }

  String variable(VariableName name) {
    return prefix + "{ev:" + name.value() + "}";
  }

  /** The stream of events the reaper delivers to the webhook, {@code <P>{g}:wh}. */
  String events() {
    return prefix + "{g}:wh";
  }

  /** The reaper's agenda, {@code <P>{g}:due}: items scored by when they are due. */
  String agenda() {
    return prefix + "{g}:due";
  }

  /** The reaper's lease, {@code <P>{g}:reaper}: the node id of the one node doing its work. */
  String reaper() {
    return prefix + "{g}:reaper";
  }

  /** How hints and the subscriber set name a channel: {@code "C H"}. */
  static String subject(ChannelId channel) {
    return channel.client() + " " + channel.name();
  }

  /** A channel as a member of a topic's subscriber set: {@code "C/H"}. */
  static String member(ChannelId channel) {
    return channel.client() + "/" + channel.name();
  }
}
