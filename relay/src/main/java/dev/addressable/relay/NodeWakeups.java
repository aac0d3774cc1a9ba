package dev.addressable.relay;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.variable.Doorbells;
import java.util.List;

/** Where the store's hints land at this node: receivers, senders waiting for receipts, doorbells. */
public final class NodeWakeups implements Wakeups {

  private final Receivers receivers;
  private final Receipts receipts;
  private final Doorbells doorbells;

  public NodeWakeups(Receivers receivers, Receipts receipts, Doorbells doorbells) {
    this.receivers = receivers;
    this.receipts = receipts;
    this.doorbells = doorbells;
  }

  @Override
  public int channel(ChannelId channel) {
    return receivers.wake(channel);
  }

  @Override
  public void channels(List<ChannelId> channels, int[] reached) {
    receivers.wake(channels, reached);
  }

  @Override
  public int topic(TopicId topic) {
    return receivers.wake(topic);
  }

  @Override
  public int topicMessage(TopicId topic, Cursor top, Message message) {
    return receivers.wake(topic, top, message);
  }

  @Override
  public int channelBehind(ChannelId channel, Cursor top) {
    return receivers.wakeBehind(channel, top);
  }

  @Override
  public int topicBehind(TopicId topic, Cursor top) {
    return receivers.wakeBehind(topic, top);
  }

  @Override
  public void confirmed(ChannelId channel, Cursor upTo) {
    receipts.confirmed(channel, upTo);
  }

  @Override
  public void confirmed(TopicId topic, Cursor upTo) {
    receipts.confirmed(topic, upTo);
  }

  @Override
  public int variable(VariableName name) {
    return doorbells.set(name);
  }

  @Override
  public void unavailable(StoreUnavailable why) {
    receivers.releaseAll(why);
  }
}
