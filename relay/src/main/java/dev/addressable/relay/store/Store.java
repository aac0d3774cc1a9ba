package dev.addressable.relay.store;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import java.util.concurrent.CompletionStage;

/**
 * Where everything receivers and senders share is kept: channels and their inboxes, topics and
 * their logs, subscriptions, confirmations, presence, event variables. The node keeps the rest
 * (connections, parked requests and their waiting lists, the keys it has proven) and learns of
 * changes through {@link Wakeups}. Two stores keep this contract: {@code memory.MemoryStore}, one
 * process's own, and a shared one several relays use at once.
 *
 * <p><b>Stages.</b> Every operation answers with a {@link CompletionStage}; the memory store's are
 * complete when returned. Callers never wait on one on a thread ({@link Stages}): a stage that
 * completes later hands its work to the relay's executors. An operation is one atomic step.
 *
 * <p><b>Failures are values</b>: a stage fails with {@link StoreUnavailable} (503
 * {@code store_unavailable}), {@link StoreFull} (503 {@code overloaded}), a refusal named on the
 * method, or for the memory store its budget's
 * {@link dev.addressable.relay.memory.MemoryFullException}. No operation throws.
 *
 * <p><b>Positions</b> are {@link Cursor} and {@link FeedCursor} values: an epoch and its seq travel
 * together. A position of another epoch than the log's reads from the log's start with
 * {@code missed}; one of the log's epoch but ahead of it is a {@link BadCursor}. Whenever the store
 * may have lost messages (a channel made anew, a restart), the epoch changes.
 *
 * <p><b>Channels.</b> {@link #open} makes a channel live; a send to one that is not live stores
 * nothing. Operations a key-proven receiver asks for ({@link #readAndLease}, {@link #confirm},
 * {@link #subscribe}, {@link #unsubscribe}) make it live again if it expired (a new epoch), mark
 * it seen and report it online (ending a {@link #leave} said a second or more before).
 */
public interface Store {

  /**
   * Makes the channel live if it is not (a new epoch, an empty inbox; the client's other channels
   * are kept), marks it seen and online.
   *
   * @return the cursor after everything the channel reads now: where a new receiver starts. Fails
   *     with {@link dev.addressable.relay.address.TooManyChannelsException} past the client's or
   *     the store's channel limit
   */
  CompletionStage<FeedCursor> open(ChannelId channel);

  /**
   * Stores a message in the channel's inbox (trimming it to its limits), then hints its waiting
   * receivers.
   *
   * @return what was stored, or {@code null} if the channel is not live: then nothing was
   */
  CompletionStage<Delivery> append(ChannelId channel, Send send);

  /** Stores a message in each live channel of the client; {@code null} if it has none. */
  CompletionStage<Delivery> appendToClient(ClientId client, Send send);

  /**
   * Stores a message once in the topic's log (making the topic anew if the store forgot it) and
   * hints the node of its subscribers. Fails with
   * {@link dev.addressable.relay.parking.OverloadedException} past the store's topic limit.
   */
  CompletionStage<Delivery> publish(TopicId topic, Send send);

  /**
   * What the channel reads after {@code after}: its inbox and its topics, each in order, with
   * {@code missed} where messages after a position were already dropped or the epoch changed, and
   * the topics {@code after} names that the channel does not follow. In the same step: makes the
   * channel live if it is not, marks it seen, records that what the reader had is confirmed (if
   * {@code confirms}), and takes the {@code lease}, so a message stored after this step hints
   * the holder's node and one stored before is in the batch.
   *
   * @param after a cursor the reader holds, or {@code null} to start at the end (a new reader)
   * @param confirms whether {@code after} came from the reader, confirming all before it
   * @param lease what the reader holds from now on; give it back with {@link #release}
   * @return the batch; fails with {@link BadCursor}
   */
  CompletionStage<Batch> readAndLease(ChannelId channel, FeedCursor after, boolean confirms, Lease lease);

  /**
   * A reader that holds a {@code lease} on the channel left (answered, timed out, closed): the
   * channel is seen now. Called once per lease taken.
   */
  CompletionStage<Void> release(ChannelId channel, Lease lease);

  /**
   * A receiver processed everything before {@code cursor} ({@code /ack}, a WebSocket ack): makes
   * the channel live if it is not, marks it seen, records the confirmation and hints waiting
   * senders. Fails with {@link BadCursor} if a position is ahead of its log: it would confirm
   * messages nobody read.
   */
  CompletionStage<Void> confirm(ChannelId channel, FeedCursor cursor);

  /**
   * The channel's receiver said it is leaving (its tab closes or navigates away). From now on the
   * channel counts offline as soon as no receiver holds it, without the grace period, until a
   * receiver comes back: one that connects ({@link #open}: a reload), or proves its key otherwise
   * ({@link #readAndLease}, {@link #confirm}, {@link #subscribe}, {@link #unsubscribe}) a second
   * or more after the leave. Within that second those are taken for the leaving page's last
   * requests, still on their way: a lease they take holds the channel, nothing more, and they
   * report nothing. The channel is marked seen now; nothing else changes: its inbox, epoch,
   * confirmations and topics stay, so a reload reads on from its cursor and loses nothing.
   * {@code channel.offline} is reported once, at once if no receiver holds it, else when the last
   * one leaves ({@link #release}, or its lease's end); a poll lease the node still owes is given
   * back at once, wherever it is owed.
   *
   * @return whether the channel is live; a leave never makes one live
   */
  CompletionStage<Boolean> leave(ChannelId channel);

  /** How far the channel's own messages are confirmed, or {@code null} if not live. */
  CompletionStage<Cursor> confirmed(ChannelId channel);

  /** How far the topic's messages are confirmed by any subscriber, or {@code null} if not held. */
  CompletionStage<Cursor> confirmed(TopicId topic);

  /**
   * Makes the topic known if it is not (an empty log): a topic id or publish token is genuine
   * whatever the store remembers, and using one brings its topic back. Fails with
   * {@link dev.addressable.relay.parking.OverloadedException} past the topic limit.
   */
  CompletionStage<Void> openTopic(TopicId topic);

  /**
   * Lets the channel follow the topic from the topic's end.
   *
   * @return whether it was not following it already. Fails with
   *     {@link dev.addressable.relay.feed.TooManyTopicsException} past the topics a channel may follow
   */
  CompletionStage<Boolean> subscribe(ChannelId channel, TopicId topic);

  /** @return whether the channel was following the topic */
  CompletionStage<Boolean> unsubscribe(ChannelId channel, TopicId topic);

  /**
   * The channel's presence: online while held, and for the grace period after (none after a
   * {@link #leave}).
   */
  CompletionStage<Presence> status(ChannelId channel);

  /** A client is online if any of its channels is; last seen when the latest of them was. */
  CompletionStage<Presence> status(ClientId client);

  /** Whether a send to the channel would be stored ({@code HEAD} on its address). */
  CompletionStage<Boolean> exists(ChannelId channel);

  /** Whether the client has a live channel. */
  CompletionStage<Boolean> exists(ClientId client);

  /**
   * Whether the variable is set, making it known (it counts against the store's limit, and is
   * kept while used) if it is not. If it is not set, takes the {@code lease} for the waiter,
   * whose node {@link Wakeups#variable} tells when it is set. Fails with
   * {@link dev.addressable.relay.parking.OverloadedException} past the variable limit.
   */
  CompletionStage<Boolean> awaitVariable(VariableName name, Lease lease);

  /** A waiter that took a lease on the variable ({@link #awaitVariable} answered unset) left. */
  CompletionStage<Void> release(VariableName name, Lease lease);

  /**
   * Sets the variable for good and hints its waiters.
   *
   * @return how many waiters the hint answered; 0 if it was set already
   */
  CompletionStage<Integer> setVariable(VariableName name);

  /** Where hints go from now on; call once, before the relay serves. */
  void wakeups(Wakeups listener);

  /**
   * Whether the store can be used now, read without waiting: {@code /health} answers 503
   * {@code "store":"down"} while it cannot. The memory store always can.
   */
  default StoreStatus availability() {
    return StoreStatus.UP;
  }

  /** What this store holds, as far as it knows without waiting: never blocks. */
  Counts counts();

  /**
   * The store's periodic housekeeping, on the relay's timer thread: drops idle channels and
   * unused topics and variables, expires old messages, reports channels gone offline. Must not
   * block.
   *
   * @return how many channels this call dropped
   */
  int sweep();
}
