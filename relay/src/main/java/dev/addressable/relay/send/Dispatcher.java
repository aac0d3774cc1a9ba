package dev.addressable.relay.send;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a message enters: puts it into the log its address names (a channel's inbox, each inbox
 * of a client, or a topic's log) and wakes who waits there. A message is stored only once the
 * memory budget has room for it (else {@link dev.addressable.relay.memory.MemoryFullException} and
 * nothing is stored). Thread-safe; no lock of its own.
 */
public final class Dispatcher {

  /**
   * Client-wide sends to more channels than this wake them on the executor (one of the relay's
   * selector threads), as topics do.
   */
  static final int INLINE_WAKE_LIMIT = 64;

  private final Directory directory;
  private final Topics topics;
  private final RelayEvents events;
  private final Executor executor;
  private final MemoryBudget budget;

  public Dispatcher(Directory directory, Topics topics, RelayEvents events, Executor executor, MemoryBudget budget) {
    this.directory = directory;
    this.topics = topics;
    this.events = events;
    this.executor = executor;
    this.budget = budget;
  }

  /** Where addresses lead; for checks that must not send. */
  public Directory directory() {
    return directory;
  }

  public Topics topics() {
    return topics;
  }

  /**
   * Sends to one channel.
   *
   * @return the delivery, or {@code null} if the channel is not live
   */
  public Delivery toChannel(String client, String channelName, String data, long ttlMillis) {
    Channel channel = directory.find(client, channelName);
    if (channel == null) {
      return null;
    }
    Delivery.ChannelDelivery one = append(channel, channel.inbox().body(data, ttlMillis).admit(budget, 1));
    return new Delivery(one.seq(), one.delivered(), List.of(one), List.of(channel), null);
  }

  /**
   * Sends to every live channel of a client, each into its own inbox.
   *
   * @return the delivery, or {@code null} if the client has no live channel
   */
  public Delivery toClient(String client, String data, long ttlMillis) {
    Collection<Channel> live = directory.channelsOf(client);
    List<Channel> channels = new ArrayList<>(live);
    if (channels.isEmpty()) {
      return null;
    }
    // One body for every inbox: the text is stored, and encoded as JSON, once (all inboxes of
    // the relay share one configuration, so its lifetime is the same in each).
    Message.Body body = channels.get(0).inbox().body(data, ttlMillis).admit(budget, channels.size());
    if (channels.size() <= INLINE_WAKE_LIMIT) {
      List<Delivery.ChannelDelivery> each = new ArrayList<>(channels.size());
      int delivered = 0;
      for (Channel channel : channels) {
        Delivery.ChannelDelivery one = append(channel, body);
        each.add(one);
        delivered += one.delivered();
      }
      return new Delivery(0, delivered, each, channels, null);
    }
    // Many tabs: store in each inbox and count who is listening, then hand all the wake-ups to
    // the executor as one task, so the sender's answer does not wait for thousands of them. One
    // task, not slices: see SelectorExecutor for why a fan-out runs in one go.
    List<Delivery.ChannelDelivery> each = new ArrayList<>(channels.size());
    int listening = 0;
    for (Channel channel : channels) {
      long seq = channel.inbox().append(body);
      int waiting = channel.feed().isWaiting() ? 1 : 0;
      listening += waiting;
      each.add(new Delivery.ChannelDelivery(channel.name(), seq, waiting));
    }
    events.sent(channels.size());
    executor.execute(() -> channels.forEach(channel -> channel.feed().wake()));
    return new Delivery(0, listening, each, channels, null);
  }

  /** Publishes to a topic: stored once, subscribers woken without waiting for them. */
  public Delivery toTopic(Topic topic, String data, long ttlMillis) {
    Topics.Published published = topics.publish(topic, topic.log().body(data, ttlMillis).admit(budget, 1));
    events.sent(1);
    events.published(published.subscribers());
    return new Delivery(published.seq(), published.listening(), List.of(), List.of(), published);
  }

  private Delivery.ChannelDelivery append(Channel channel, Message.Body body) {
    long seq = channel.inbox().append(body);
    int woken = channel.feed().wake();
    events.sent(1);
    return new Delivery.ChannelDelivery(channel.name(), seq, woken);
  }
}
