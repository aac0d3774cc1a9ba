package dev.addressable.relay.send;

import com.google.common.collect.Lists;
import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a message enters: puts it into the log its address names (a channel's inbox, each inbox
 * of a client, or a topic's log) and wakes who waits there: a topic's and a crowd's at once, a
 * channel's through {@link Delivery#wake} once the sender has its answer. Thread-safe; no lock of
 * its own.
 */
public final class Dispatcher {

  /**
   * Client-wide sends to more channels than this wake them on the executor (the relay's selector
   * threads), as topics do.
   */
  static final int INLINE_WAKE_LIMIT = 64;

  private final Directory directory;
  private final Topics topics;
  private final Metrics metrics;
  private final Executor executor;

  public Dispatcher(Directory directory, Topics topics, Metrics metrics, Executor executor) {
    this.directory = directory;
    this.topics = topics;
    this.metrics = metrics;
    this.executor = executor;
  }

  /** Where addresses lead; for checks that must not send. */
  public Directory directory() {
    return directory;
  }

  public Topics topics() {
    return topics;
  }

  /**
   * Stores a message for one channel. Its waiting receivers are answered by {@link Delivery#wake},
   * which the caller runs once it has answered the sender.
   *
   * <p>Why: a sender (often a backend sending one message after another on a kept-alive
   * connection) then has its answer one socket write sooner, and the receiver gets the message one
   * write later, about ten microseconds. In the benchmark's flood, whose senders wait for each
   * answer, that carried more messages a second (docs/BENCHMARKS.md, "Sixth round").
   *
   * @return the delivery, or {@code null} if the channel is not live
   */
  public Delivery toChannel(String client, String channelName, String data, int bytes, long ttlMillis) {
    Channel channel = directory.find(client, channelName);
    if (channel == null) {
      return null;
    }
    Delivery.ChannelDelivery one = store(channel, channel.inbox().body(data, bytes, ttlMillis));
    metrics.messageSent();
    List<Channel> target = List.of(channel);
    return new Delivery(one.seq(), one.delivered(), List.of(one), target, null, target);
  }

  /**
   * Stores a message in every live channel of a client, each in its own inbox. Up to
   * {@value #INLINE_WAKE_LIMIT} channels are woken by {@link Delivery#wake}, as for
   * {@link #toChannel}; more are woken on the executor.
   *
   * @return the delivery, or {@code null} if the client has no live channel
   */
  public Delivery toClient(String client, String data, int bytes, long ttlMillis) {
    Collection<Channel> live = directory.channelsOf(client);
    List<Channel> channels = new ArrayList<>(live);
    if (channels.isEmpty()) {
      return null;
    }
    // One body for every inbox: the text is stored, and encoded as JSON, once (all inboxes of
    // the relay share one configuration, so its lifetime is the same in each).
    Message.Body body = channels.get(0).inbox().body(data, bytes, ttlMillis);
    List<Delivery.ChannelDelivery> each = new ArrayList<>(channels.size());
    int listening = 0;
    if (channels.size() <= INLINE_WAKE_LIMIT) {
      for (Channel channel : channels) {
        Delivery.ChannelDelivery one = store(channel, body);
        each.add(one);
        listening += one.delivered();
      }
      metrics.messagesSent(channels.size());
      return new Delivery(0, listening, each, channels, null, channels);
    }
    // Many tabs: store in each inbox, count who is listening, and wake them on the executor in
    // slices, so the sender's answer does not wait for thousands of wake-ups. Each slice is
    // handed over as soon as its messages are stored, so the first tabs hear while the last
    // inboxes are still being written.
    for (List<Channel> slice : Lists.partition(channels, Parker.SLICE)) {
      for (Channel channel : slice) {
        Delivery.ChannelDelivery one = store(channel, body);
        each.add(one);
        listening += one.delivered();
      }
      metrics.messagesSent(slice.size());
      executor.execute(() -> slice.forEach(channel -> channel.feed().wake()));
    }
    return new Delivery(0, listening, each, channels, null, List.of());
  }

  /** Publishes to a topic: stored once, subscribers woken without waiting for them. */
  public Delivery toTopic(Topic topic, String data, int bytes, long ttlMillis) {
    Topics.Published published = topics.publish(topic, data, bytes, ttlMillis);
    metrics.messageSent();
    metrics.published(published.subscribers());
    return new Delivery(published.seq(), published.listening(), List.of(), List.of(), published, List.of());
  }

  /** Appends to the channel's inbox; the receivers waiting there are counted, not woken. */
  private static Delivery.ChannelDelivery store(Channel channel, Message.Body body) {
    long seq = channel.inbox().append(body);
    return new Delivery.ChannelDelivery(channel.name(), seq, channel.feed().waiterCount());
  }
}
