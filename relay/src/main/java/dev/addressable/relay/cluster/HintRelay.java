package dev.addressable.relay.cluster;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.Wakeups;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the hints other nodes' scripts publish on this node's channel into {@link Wakeups} calls,
 * on the cluster executor (never on Lettuce's threads). The hints, one line each:
 * {@code m C H} new messages in a channel; {@code k C H1 H2 …} in several of a client's;
 * {@code t T} in a topic; {@code T T e s ts expiry data} one small message in a topic, carried; {@code r C H e a} a channel confirmed up to {@code (e, a)};
 * {@code R T e a} a topic confirmed; {@code e N} a variable set; {@code l C H} a channel's receiver
 * said it is leaving (this node gives back the poll leases it owes there); {@code p} this node's own
 * probe ({@link PubSubProbe}: hearing it is all it asks). A hint is only a hint: an unknown or
 * malformed one is dropped, and when hints may have been lost (pub/sub subscribed again, hints
 * dropped, a deaf connection rebuilt) the safety net re-sweeps what this node holds.
 */
final class HintRelay implements ClusterNode.HintListener {

  private static final Logger LOG = LoggerFactory.getLogger(HintRelay.class);

  private final Supplier<Wakeups> wakeups;
  private final Runnable sweep;
  private final Consumer<ChannelId> left;

  /**
   * @param sweep asks for a re-sweep of what this node holds
   * @param left told of a channel whose receiver said it is leaving
   */
  HintRelay(Supplier<Wakeups> wakeups, Runnable sweep, Consumer<ChannelId> left) {
    this.wakeups = wakeups;
    this.sweep = sweep;
    this.left = left;
  }

  @Override
  public void hint(String message) {
    // A message's data, last in a T hint, may hold spaces of its own.
    String[] w = message.startsWith("T ") ? message.split(" ", 7) : message.split(" ");
    Wakeups to = wakeups.get();
    try {
      switch (w[0]) {
        case "T" -> {
          long seq = Long.parseLong(w[3]);
          Message carried = new Message(seq, new Message.Body(w[6], Long.parseLong(w[4]), Long.parseLong(w[5]), w[1]));
          to.topicMessage(new TopicId(w[1]), new Cursor(w[2], seq), carried);
        }
        case "m" -> to.channel(new ChannelId(w[1], w[2]));
        case "k" -> {
          List<ChannelId> channels = new ArrayList<>(w.length - 2);
          for (int i = 2; i < w.length; i++) {
            channels.add(new ChannelId(w[1], w[i]));
          }
          to.channels(channels, new int[channels.size()]);
        }
        case "t" -> to.topic(new TopicId(w[1]));
        case "r" -> to.confirmed(new ChannelId(w[1], w[2]), new Cursor(w[3], Long.parseLong(w[4])));
        case "R" -> to.confirmed(new TopicId(w[1]), new Cursor(w[2], Long.parseLong(w[3])));
        case "e" -> to.variable(new VariableName(w[1]));
        case "l" -> left.accept(new ChannelId(w[1], w[2]));
        case "p" -> { } // the probe: heard, which is all it asks
        default -> LOG.debug("Dropped a hint of unknown kind {}", w[0]);
      }
    } catch (RuntimeException malformed) {
      LOG.debug("Dropped a malformed hint of kind {}", w[0]); // never the hint itself: it names addresses
    }
  }

  @Override
  public void resubscribed() {
    sweep.run();
  }

  @Override
  public void hintsLost() {
    sweep.run();
  }
}
