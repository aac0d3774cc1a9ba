package dev.addressable.relay.store;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import java.util.List;

/**
 * Hints from a store to the node: something changed that local waiters may want. A hint is only
 * a hint: it may come late, twice, early (before the change can be read), or never, so whoever
 * waits also reads the store itself (after registering, so a change it missed is one it reads)
 * and on a timeout. The memory store calls these on the thread that made the change, right after
 * it; a shared store hands its hints to a thread of the relay first (never runs them on its own
 * I/O threads).
 *
 * <p>Implementations must not block: a hint may arrive on a selector thread. A store calls them
 * under none of its locks.
 */
public interface Wakeups {

  /**
   * New messages in the channel's inbox: its waiting receivers read again.
   *
   * @return how many receivers this answered (the memory store reports it as {@code delivered})
   */
  int channel(ChannelId channel);

  /**
   * New messages in each of {@code channels} (a client-wide send). The node may answer them later,
   * in one task, when there are many.
   *
   * @param reached filled in, per channel, with the receivers answered or about to be answered
   */
  void channels(List<ChannelId> channels, int[] reached);

  /**
   * A new message in the topic: receivers of the channels following it read again, possibly
   * later, in one task.
   *
   * @return how many receivers were waiting on those channels
   */
  int topic(TopicId topic);

  /**
   * A new message in the topic, carried by the hint: {@code message} is at {@code top}, the
   * topic's new end. Receivers of the channels following it whose position on it is just before
   * {@code top} may be answered with it without a read; the others read again, as for
   * {@link #topic}.
   *
   * @return how many receivers were waiting on those channels
   */
  default int topicMessage(TopicId topic, Cursor top, Message message) {
    return topic(topic);
  }

  /**
   * The channel's inbox ends at {@code top}, as a check of every held channel found (CLUSTER.md
   * section 6, the safety net for lost hints): its waiting receivers whose position is not there
   * read again; those that are stay as they are.
   *
   * @return how many receivers were told to read
   */
  default int channelBehind(ChannelId channel, Cursor top) {
    return channel(channel);
  }

  /** The topic's log ends at {@code top}: receivers of the channels following it that are not there read again. */
  default int topicBehind(TopicId topic, Cursor top) {
    return topic(topic);
  }

  /** A receiver of the channel confirmed everything up to {@code upTo}: senders waiting for a receipt may have one. */
  void confirmed(ChannelId channel, Cursor upTo);

  /** A subscriber confirmed the topic up to {@code upTo}. */
  void confirmed(TopicId topic, Cursor upTo);

  /**
   * The variable was set.
   *
   * @return how many waiters this answered (reported as {@code woken})
   */
  int variable(VariableName name);

  /**
   * The store cannot be used for now (a shared store whose connection is lost or hung for a
   * while): waiting receivers should be answered with {@code why} rather than left waiting on a
   * store that will not hint them, so their clients retry, through another relay if there is one.
   * The memory store never calls it.
   */
  default void unavailable(StoreUnavailable why) {}

  /** Hears nothing: a store's listener until the node sets its own. */
  Wakeups NONE = new Wakeups() {
    @Override public int channel(ChannelId channel) {
      return 0;
    }

    @Override public void channels(List<ChannelId> channels, int[] reached) {}

    @Override public int topic(TopicId topic) {
      return 0;
    }

    @Override public void confirmed(ChannelId channel, Cursor upTo) {}

    @Override public void confirmed(TopicId topic, Cursor upTo) {}

    @Override public int variable(VariableName name) {
      return 0;
    }
  };
}
