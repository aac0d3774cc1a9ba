package dev.addressable.relay.cluster;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.Wakeups;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where a message enters Redis (CLUSTER.md section 5): one script per send, to a channel, to each
 * live channel of a client, or to a topic. Other nodes hear of it by pub/sub from the script
 * itself; this node's receivers are woken here, after the script returned, on the cluster
 * executor. {@code delivered} counts receivers leased at other nodes when the message was stored
 * plus those answered here.
 */
final class RedisSends {

  private final StoreScripts scripts;
  private final StoreKeys keys;
  private final Supplier<Wakeups> wakeups;

  RedisSends(StoreScripts scripts, StoreKeys keys, Supplier<Wakeups> wakeups) {
    this.scripts = scripts;
    this.keys = keys;
    this.wakeups = wakeups;
  }

  CompletionStage<Delivery> toChannel(ChannelId channel, Send send) {
    return scripts.run("send", keys.channel(channel), StoreKeys.subject(channel), args(send, null)).thenApply(r -> {
      if (Replies.number(r, 0) == 0) {
        return null;
      }
      Cursor position = new Cursor(Replies.text(r, 1), Replies.number(r, 2));
      int delivered = (int) Replies.number(r, 3);
      if (Replies.number(r, 4) == 1) {
        delivered += wakeups.get().channel(channel);
      }
      Delivery stored = new Delivery(position, delivered, List.of(new Delivery.ChannelDelivery(channel, position, delivered)), 0);
      return Replies.number(r, 0) == 2 ? stored.asDuplicate() : stored;
    });
  }

  CompletionStage<Delivery> toClient(ClientId client, Send send) {
    return scripts.run("send_client", keys.client(client), client.value(), args(send, null)).thenApply(r -> {
      if (Replies.number(r, 0) == 0) {
        return null;
      }
      int n = (r.size() - 1) / 5;
      List<ChannelId> channels = new ArrayList<>(n);
      List<Cursor> positions = new ArrayList<>(n);
      int[] elsewhere = new int[n];
      List<ChannelId> here = new ArrayList<>();
      List<Integer> hereAt = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int at = 1 + i * 5;
        ChannelId channel = client.channel(Replies.text(r, at));
        channels.add(channel);
        positions.add(new Cursor(Replies.text(r, at + 1), Replies.number(r, at + 2)));
        elsewhere[i] = (int) Replies.number(r, at + 3);
        if (Replies.number(r, at + 4) == 1) {
          here.add(channel);
          hereAt.add(i);
        }
      }
      int[] reached = new int[here.size()];
      if (!here.isEmpty()) {
        wakeups.get().channels(here, reached);
      }
      for (int k = 0; k < here.size(); k++) {
        elsewhere[hereAt.get(k)] += reached[k];
      }
      List<Delivery.ChannelDelivery> each = new ArrayList<>(n);
      int delivered = 0;
      for (int i = 0; i < n; i++) {
        each.add(new Delivery.ChannelDelivery(channels.get(i), positions.get(i), elsewhere[i]));
        delivered += elsewhere[i];
      }
      Delivery stored = new Delivery(null, delivered, each, 0);
      return Replies.number(r, 0) == 2 ? stored.asDuplicate() : stored;
    });
  }

  CompletionStage<Delivery> toTopic(TopicId topic, Send send) {
    return scripts.run("publish", keys.topic(topic), topic.value(), args(send, topic.value())).thenApply(r -> {
      Cursor position = new Cursor(Replies.text(r, 1), Replies.number(r, 2));
      // This node fans out to its own subscribers whether or not it holds a lease (a reader that
      // took none still reads the topic when woken), as the memory store always hints.
      if (Replies.number(r, 0) == 2) {
        return new Delivery(position, 0, List.of(), (int) Replies.number(r, 5)).asDuplicate();
      }
      int delivered = (int) Replies.number(r, 3) + wakeups.get().topic(topic);
      return new Delivery(position, delivered, List.of(), (int) Replies.number(r, 5));
    });
  }

  /** data, stored bytes (its JSON as answers carry it), ttl, mid. */
  private static String[] args(Send send, String topic) {
    int bytes = new Message(0, new Message.Body(send.data(), System.currentTimeMillis(), 0, topic)).bytes();
    return new String[] {send.data(), Integer.toString(bytes), Long.toString(send.ttlMillis()),
        send.mid() == null ? "" : send.mid()};
  }
}
