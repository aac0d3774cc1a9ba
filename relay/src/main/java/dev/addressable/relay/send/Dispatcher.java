package dev.addressable.relay.send;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.metrics.Metrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a message enters: puts it into the inbox (or inboxes) its address names and wakes who waits
 * there. Thread-safe; it takes no lock of its own.
 */
public final class Dispatcher {

  private final Directory directory;
  private final Metrics metrics;

  public Dispatcher(Directory directory, Metrics metrics) {
    this.directory = directory;
    this.metrics = metrics;
  }

  /** Where addresses lead; for checks that must not send. */
  public Directory directory() {
    return directory;
  }

  /**
   * Sends to one channel.
   *
   * @return the delivery, or {@code null} if the channel is not live
   */
  public Delivery toChannel(String client, String channelName, String data, int bytes, long ttlMillis) {
    Channel channel = directory.find(client, channelName);
    if (channel == null) {
      return null;
    }
    Inbox.Appended appended = append(channel, data, bytes, ttlMillis);
    return new Delivery(appended.seq(), appended.woken(), List.of());
  }

  /**
   * Sends to every live channel of a client, each into its own inbox.
   *
   * @return the delivery, or {@code null} if the client has no live channel
   */
  public Delivery toClient(String client, String data, int bytes, long ttlMillis) {
    Collection<Channel> channels = directory.channelsOf(client);
    if (channels.isEmpty()) {
      return null;
    }
    List<Delivery.ChannelDelivery> each = new ArrayList<>(channels.size());
    int delivered = 0;
    for (Channel channel : channels) {
      Inbox.Appended appended = append(channel, data, bytes, ttlMillis);
      each.add(new Delivery.ChannelDelivery(channel.name(), appended.seq(), appended.woken()));
      delivered += appended.woken();
    }
    return each.isEmpty() ? null : new Delivery(0, delivered, each);
  }

  private Inbox.Appended append(Channel channel, String data, int bytes, long ttlMillis) {
    Inbox.Appended appended = channel.inbox().append(data, bytes, ttlMillis);
    metrics.messageSent();
    return appended;
  }
}
