package dev.addressable.relay.store.memory;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a message enters the memory store: into the log its address names (a channel's inbox,
 * each inbox of a client, a topic's log), once the memory budget has room for it (else
 * {@link dev.addressable.relay.memory.MemoryFullException} and nothing is stored); then the
 * node hears of it ({@link Wakeups}). Thread-safe; no lock of its own.
 */
final class Sends {

  private final Directory directory;
  private final Topics topics;
  private final RelayEvents events;
  private final MemoryBudget budget;
  private final Supplier<Wakeups> wakeups;

  Sends(Directory directory, Topics topics, RelayEvents events, MemoryBudget budget, Supplier<Wakeups> wakeups) {
    this.directory = directory;
    this.topics = topics;
    this.events = events;
    this.budget = budget;
    this.wakeups = wakeups;
  }

  /** To one channel; {@code null} if it is not live. */
  Delivery toChannel(ChannelId id, Send send) {
    Channel channel = directory.find(id.client(), id.name());
    if (channel == null) {
      return null;
    }
    Inbox inbox = channel.inbox();
    long seq = inbox.append(inbox.body(send.data(), send.ttlMillis()).admit(budget, 1));
    Cursor position = new Cursor(inbox.epoch(), seq);
    // A channel nobody holds has nobody to hint: a reader that comes later reads the message, since
    // it takes its lease before it reads.
    int woken = channel.isHeld() ? wakeups.get().channel(id) : 0;
    events.sent(1);
    return new Delivery(position, woken, List.of(new Delivery.ChannelDelivery(id, position, woken)), 0);
  }

  /** To every live channel of a client, each into its own inbox; {@code null} if it has none. */
  Delivery toClient(ClientId client, Send send) {
    List<Channel> channels = new ArrayList<>(directory.channelsOf(client.value()));
    if (channels.isEmpty()) {
      return null;
    }
    // One body for every inbox: the text is stored, and encoded as JSON, once (all inboxes of
    // the relay share one configuration, so its lifetime is the same in each).
    Message.Body body = channels.get(0).inbox().body(send.data(), send.ttlMillis()).admit(budget, channels.size());
    List<ChannelId> ids = new ArrayList<>(channels.size());
    List<Cursor> positions = new ArrayList<>(channels.size());
    for (Channel channel : channels) {
      long seq = channel.inbox().append(body);
      ids.add(new ChannelId(client.value(), channel.name()));
      positions.add(new Cursor(channel.inbox().epoch(), seq));
    }
    events.sent(channels.size());
    int[] reached = new int[channels.size()];
    wakeups.get().channels(ids, reached);
    List<Delivery.ChannelDelivery> each = new ArrayList<>(channels.size());
    int delivered = 0;
    for (int i = 0; i < channels.size(); i++) {
      each.add(new Delivery.ChannelDelivery(ids.get(i), positions.get(i), reached[i]));
      delivered += reached[i];
    }
    return new Delivery(null, delivered, each, 0);
  }

  /** Publishes to a topic: stored once; the node wakes the subscribers it has. */
  Delivery toTopic(TopicId id, Send send) {
    Topic topic = topics.get(id.value());
    Topics.Published published = topics.publish(topic, topic.log().body(send.data(), send.ttlMillis()).admit(budget, 1));
    int listening = wakeups.get().topic(id);
    events.sent(1);
    events.published(published.subscribers());
    return new Delivery(new Cursor(topic.log().epoch(), published.seq()), listening, List.of(), published.subscribers());
  }
}
