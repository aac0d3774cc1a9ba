package dev.addressable.relay.store.memory;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.store.BadCursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Counts;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Presence;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import dev.addressable.relay.variable.EventVariables;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The store of one relay process, in its heap: the {@link Directory} of channels with their
 * feeds and inboxes, the {@link Topics}, the {@link EventVariables}. A restart empties it; every
 * channel then comes back with a new epoch, so its old cursors read {@code missed}.
 *
 * <p>Every stage it answers is complete when returned, and a failure comes in the stage, never
 * thrown. Hints ({@link Wakeups}) are called on the thread that made the change, after it and
 * outside every lock of the store; a channel nobody holds gets none (its next reader reads).
 * Thread-safe.
 */
public final class MemoryStore implements Store {

  private final Directory directory;
  private final Topics topics;
  private final EventVariables variables;
  private final Sends sends;
  private final Mids mids;
  private final LongSupplier clock;
  private final long graceMillis;
  private final int maxTopicsPerChannel;
  private final Consumer<Topic> topicConfirmed = this::topicConfirmed;
  private volatile Wakeups wakeups = Wakeups.NONE;

  /**
   * @param events told of channels going online and offline, of messages dropped unread, of sends
   * @param budget charged for channels, topics, variables, subscriptions and messages
   */
  public MemoryStore(RelayConfig config, LongSupplier clock, RelayEvents events, MemoryBudget budget) {
    this.clock = clock;
    this.graceMillis = config.presence().grace().toMillis();
    this.maxTopicsPerChannel = config.topics().maxPerChannel();
    this.directory = new Directory(config.inbox(), clock, events, config.presence().grace(), budget);
    this.topics = new Topics(config.inbox(), clock, events, budget, config.topics().expiry(), config.topics().maxTopics());
    this.variables = new EventVariables(config.events(), clock, events, budget);
    this.sends = new Sends(directory, topics, events, budget, this::wakeups);
    this.mids = new Mids(config.limits().midWindow().toMillis(), clock);
  }

  @Override
  public void wakeups(Wakeups listener) {
    this.wakeups = listener;
  }

  private Wakeups wakeups() {
    return wakeups;
  }

  @Override
  public CompletionStage<FeedCursor> open(ChannelId channel) {
    try {
      return Stages.done(directory.open(channel.client(), channel.name(), true).feed().end());
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Delivery> append(ChannelId channel, Send send) {
    if (send.mid() != null) {
      return mids.once("c " + channel.client() + " " + channel.name() + " " + send.mid(), () -> sends.toChannel(channel, send));
    }
    try {
      return Stages.done(sends.toChannel(channel, send));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Delivery> appendToClient(ClientId client, Send send) {
    if (send.mid() != null) {
      return mids.once("k " + client.value() + " " + send.mid(), () -> sends.toClient(client, send));
    }
    try {
      return Stages.done(sends.toClient(client, send));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Delivery> publish(TopicId topic, Send send) {
    if (send.mid() != null) {
      return mids.once("t " + topic.value() + " " + send.mid(), () -> sends.toTopic(topic, send));
    }
    try {
      return Stages.done(sends.toTopic(topic, send));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Batch> readAndLease(ChannelId id, FeedCursor after, boolean confirms, Lease lease) {
    Channel channel;
    try {
      channel = live(id);
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
    // The lease first, the read second: a send after the hold hints the holder, one before it is read.
    if (lease.isHeld()) {
      channel.hold();
    }
    Batch batch;
    try {
      batch = channel.feed().read(after != null ? after : channel.feed().end());
    } catch (IllegalArgumentException e) {
      if (lease.isHeld()) {
        directory.release(channel); // refused: nothing is held
      }
      return Stages.failed(new BadCursor(e.getMessage()));
    }
    if (confirms) {
      confirm(id, channel, after);
    }
    return Stages.done(batch);
  }

  @Override
  public CompletionStage<Void> release(ChannelId id, Lease lease) {
    Channel channel = directory.find(id.client(), id.name());
    if (channel != null && lease.isHeld()) {
      directory.release(channel); // a held channel is never dropped, so this is the one it held
    }
    return Stages.done();
  }

  @Override
  public CompletionStage<Boolean> leave(ChannelId id) {
    return Stages.done(directory.leave(id.client(), id.name()));
  }

  @Override
  public CompletionStage<Void> confirm(ChannelId id, FeedCursor cursor) {
    try {
      Channel channel = live(id);
      try {
        channel.feed().checkHandedOut(cursor);
      } catch (IllegalArgumentException e) {
        return Stages.failed(new BadCursor(e.getMessage()));
      }
      confirm(id, channel, cursor);
      return Stages.done();
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  private void confirm(ChannelId id, Channel channel, FeedCursor cursor) {
    if (channel.feed().confirm(cursor, topicConfirmed)) {
      wakeups.confirmed(id, channel.feed().confirmed());
    }
  }

  private void topicConfirmed(Topic topic) {
    wakeups.confirmed(new TopicId(topic.id()), topic.confirmed());
  }

  @Override
  public CompletionStage<Cursor> confirmed(ChannelId id) {
    Channel channel = directory.find(id.client(), id.name());
    return Stages.done(channel == null ? null : channel.feed().confirmed());
  }

  @Override
  public CompletionStage<Cursor> confirmed(TopicId id) {
    Topic topic = topics.find(id.value());
    return Stages.done(topic == null ? null : topic.confirmed());
  }

  @Override
  public CompletionStage<Void> openTopic(TopicId topic) {
    try {
      topics.get(topic.value());
      return Stages.done();
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Boolean> subscribe(ChannelId channel, TopicId topic) {
    try {
      return Stages.done(live(channel).feed().subscribe(topics.get(topic.value()), maxTopicsPerChannel));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Boolean> unsubscribe(ChannelId channel, TopicId topic) {
    try {
      return Stages.done(live(channel).feed().unsubscribe(topic.value()));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Presence> status(ChannelId id) {
    Channel channel = directory.find(id.client(), id.name());
    return Stages.done(channel == null ? Presence.NOBODY : presence(List.of(channel)));
  }

  @Override
  public CompletionStage<Presence> status(ClientId client) {
    return Stages.done(presence(directory.channelsOf(client.value())));
  }

  private Presence presence(Collection<Channel> channels) {
    long now = clock.getAsLong();
    boolean online = false;
    Long lastSeen = null;
    for (Channel each : channels) {
      boolean here = each.isOnline(now, graceMillis);
      online |= here;
      long seen = here && each.isHeld() ? now : each.lastSeen();
      lastSeen = lastSeen == null ? seen : Math.max(lastSeen, seen);
    }
    return lastSeen == null ? Presence.NOBODY : new Presence(online, lastSeen);
  }

  @Override
  public CompletionStage<Boolean> exists(ChannelId channel) {
    return Stages.done(directory.find(channel.client(), channel.name()) != null);
  }

  @Override
  public CompletionStage<Boolean> exists(ClientId client) {
    return Stages.done(!directory.channelsOf(client.value()).isEmpty());
  }

  @Override
  public CompletionStage<Boolean> awaitVariable(VariableName name, Lease lease) {
    try {
      return Stages.done(variables.await(name.value(), lease.isHeld()));
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public CompletionStage<Void> release(VariableName name, Lease lease) {
    if (lease.isHeld()) {
      variables.release(name.value());
    }
    return Stages.done();
  }

  @Override
  public CompletionStage<Integer> setVariable(VariableName name) {
    try {
      return Stages.done(variables.set(name.value()) ? wakeups.variable(name) : 0);
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  @Override
  public Counts counts() {
    return new Counts(directory.channelCount(), topics.size(), variables.size());
  }

  @Override
  public int sweep() {
    int dropped = directory.sweep();
    variables.sweep();
    topics.sweep();
    return dropped;
  }

  /**
   * The channel, made live (again) if it is not, marked seen and online, for a receiver that asks
   * with its key but does not connect (see {@link Directory#open(String, String, boolean)}).
   */
  private Channel live(ChannelId id) {
    return directory.open(id.client(), id.name(), false);
  }
}
