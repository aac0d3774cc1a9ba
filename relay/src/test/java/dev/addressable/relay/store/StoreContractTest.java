package dev.addressable.relay.store;

import static dev.addressable.relay.store.Outcomes.failure;
import static dev.addressable.relay.store.Outcomes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.address.TooManyChannelsException;
import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.PresenceConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.config.TopicConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.feed.TooManyTopicsException;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.topic.TopicKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The storage contract ({@link Store}), as every store keeps it: trims, epochs, what a send to an
 * unknown address does, channels that come back, limits, topics, confirmations, presence,
 * variables and hints. A store's test extends this with {@link #newStore}, made anew per test.
 *
 * <p>Nothing here relies on what only the memory store does: stages are awaited (boundedly), never
 * assumed complete; hints are awaited, never assumed absent; time passes through {@link #pass}.
 */
@Timeout(60)
public abstract class StoreContractTest {

  protected static final int MAX_MESSAGES = 5;
  protected static final long MAX_BYTES = 2_000;
  protected static final Duration MAX_AGE = Duration.ofSeconds(60);
  protected static final Duration IDLE = Duration.ofSeconds(120);
  protected static final Duration GRACE = Duration.ofSeconds(10);
  protected static final int CHANNELS_PER_CLIENT = 3;
  protected static final int TOPICS_PER_CHANNEL = 2;

  /** The clock a store may take the time from; {@link #pass} moves it on. */
  protected final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  protected final Hints hints = new Hints();
  private final TopicKeys topicKeys = new TopicKeys(new KeyRing(new byte[32]));
  protected Store store;

  /** A new, empty store with these settings, taking the time from {@link #now} (or its own, then override {@link #pass}). */
  protected abstract Store newStore(RelayConfig config);

  /** As {@link #newStore}, reporting presence events ({@code channel.online}, {@code channel.offline}) to {@code events}. */
  protected abstract Store newStoreReporting(RelayConfig config, PresenceEvents events);

  /**
   * After a poll's release, what a store that gives poll leases back late (the Redis store folds
   * them into the receiver's next poll) needs to have given them back before the clock moves.
   */
  protected void givenBack() throws Exception {}

  /** Lets {@code time} pass for the store. */
  protected void pass(Duration time) {
    now.addAndGet(time.toMillis());
  }

  /** Small limits, so that a test reaches them. */
  protected RelayConfig config() {
    RelayConfig d = RelayConfig.defaults();
    InboxConfig inbox = new InboxConfig(MAX_MESSAGES, MAX_BYTES, MAX_AGE, IDLE, 1_000, 10_000, CHANNELS_PER_CLIENT);
    PresenceConfig presence = d.presence().withGrace(GRACE);
    return new RelayConfig(d.server(), inbox, d.poll(), new EventConfig(Duration.ofSeconds(300), 100),
        new TopicConfig(Duration.ofHours(1), 100, TOPICS_PER_CHANNEL), presence, d.limits(), d.admin(), d.cluster());
  }

  @BeforeEach
  void createStore() {
    store = newStore(config());
    store.wakeups(hints);
  }

  protected static ChannelId newChannel() {
    return new ChannelId(Ids.newClientId(), "tab");
  }

  protected TopicId newTopic() {
    return new TopicId(topicKeys.create().id());
  }

  protected Delivery append(ChannelId channel, String text) throws Exception {
    return get(store.append(channel, new Send(text, 0)));
  }

  protected Batch read(ChannelId channel, FeedCursor after) throws Exception {
    return get(store.readAndLease(channel, after, false, Lease.NONE));
  }

  private static List<String> data(Batch batch) {
    return batch.messages().stream().map(Message::data).toList();
  }

  private static List<Long> seqs(Batch batch) {
    return batch.messages().stream().map(Message::seq).toList();
  }

  @Test
  void openMakesAChannelLiveAndAnswersItsEnd() throws Exception {
    ChannelId channel = newChannel();
    assertFalse(get(store.exists(channel)));
    FeedCursor end = get(store.open(channel));
    assertEquals(0, end.own().seq());
    assertTrue(get(store.exists(channel)));
    assertTrue(get(store.exists(channel.clientId())));
    append(channel, "one");
    FeedCursor again = get(store.open(channel));
    assertEquals(end.own().epoch(), again.own().epoch(), "opening a live channel keeps its inbox");
    assertEquals(1, again.own().seq());
  }

  @Test
  void aSendToAnUnknownAddressStoresAndCreatesNothing() throws Exception {
    ChannelId channel = newChannel();
    assertNull(get(store.append(channel, new Send("nobody", 0))));
    assertNull(get(store.appendToClient(channel.clientId(), new Send("nobody", 0))));
    assertFalse(get(store.exists(channel)));
    assertFalse(get(store.exists(channel.clientId())));
    assertEquals(Presence.NOBODY, get(store.status(channel)));
    assertEquals(Presence.NOBODY, get(store.status(channel.clientId())));
  }

  @Test
  void readsWhatCameAfterACursorInOrder() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    Delivery first = append(channel, "a");
    append(channel, "b");
    append(channel, "c");
    assertEquals(new Cursor(start.own().epoch(), 1), first.position());
    Batch batch = read(channel, start);
    assertEquals(List.of("a", "b", "c"), data(batch));
    assertEquals(List.of(1L, 2L, 3L), seqs(batch));
    assertFalse(batch.missed());
    assertEquals(new Cursor(start.own().epoch(), 3), batch.cursor().own());
    assertTrue(read(channel, batch.cursor()).messages().isEmpty());
    assertEquals(batch.cursor(), read(channel, null).cursor(), "a new reader starts at the end");
  }

  @Test
  void aFullInboxDropsItsOldestAndTheReaderBehindIsToldMissed() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    for (int i = 1; i <= MAX_MESSAGES + 2; i++) {
      append(channel, "m" + i);
    }
    Batch batch = read(channel, start);
    assertTrue(batch.missed());
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seqs(batch));
  }

  @Test
  void anInboxPastItsBytesDropsItsOldest() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    String big = "x".repeat(500);
    for (int i = 0; i < 5; i++) {
      append(channel, big);
    }
    Batch batch = read(channel, start);
    assertTrue(batch.missed());
    assertEquals(5L, seqs(batch).get(seqs(batch).size() - 1));
    assertTrue(batch.messages().size() < 5, seqs(batch).toString());
    assertTrue(batch.messages().stream().mapToLong(Message::bytes).sum() <= MAX_BYTES);
  }

  @Test
  void messagesLeaveAtTheAgeLimitAndASendersShorterTtl() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    append(channel, "old");
    get(store.append(channel, new Send("short-lived", 1_000)));
    pass(Duration.ofSeconds(2));
    append(channel, "fresh");
    Batch soon = read(channel, start);
    assertTrue(soon.missed(), "the ttl ran out");
    assertEquals(List.of("old", "fresh"), data(soon));
    pass(MAX_AGE.minusSeconds(1)); // past the first two's age, within the last one's
    Batch later = read(channel, start);
    assertTrue(later.missed());
    assertEquals(List.of("fresh"), data(later));
  }

  @Test
  void aCursorOfAnotherEpochReadsFromTheStartWithMissed() throws Exception {
    ChannelId channel = newChannel();
    get(store.open(channel));
    append(channel, "a");
    append(channel, "b");
    Batch batch = read(channel, FeedCursor.of(new Cursor("another-epoch", 1)));
    assertTrue(batch.missed());
    assertEquals(List.of("a", "b"), data(batch));
  }

  @Test
  void aCursorAheadOfTheLogIsABadCursor() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor end = get(store.open(channel));
    FeedCursor ahead = end.withOwn(new Cursor(end.own().epoch(), 99));
    assertInstanceOf(BadCursor.class, failure(store.readAndLease(channel, ahead, true, Lease.poll(Duration.ofSeconds(5)))));
    assertInstanceOf(BadCursor.class, failure(store.confirm(channel, ahead)));
  }

  @Test
  void aReceiverBringsAnExpiredChannelBackWithANewEpochAndMissed() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    append(channel, "lost");
    FeedCursor seen = read(channel, start).cursor();
    pass(IDLE.plusSeconds(1));
    store.sweep();
    assertFalse(get(store.exists(channel)), "idle past the expiry");
    assertNull(get(store.append(channel, new Send("nobody", 0))));

    Batch back = get(store.readAndLease(channel, seen, true, Lease.NONE));
    assertTrue(back.missed());
    assertTrue(back.messages().isEmpty());
    assertNotEquals(seen.own().epoch(), back.cursor().own().epoch(), "a new epoch");
    assertTrue(get(store.exists(channel)));

    ChannelId acked = newChannel();
    get(store.open(acked));
    pass(IDLE.plusSeconds(1));
    store.sweep();
    get(store.confirm(acked, seen.withOwn(new Cursor("another-epoch", 1))));
    assertTrue(get(store.exists(acked)), "an ack with a proven key brings it back too");
  }

  @Test
  void aClientHasAtMostItsChannelLimit() throws Exception {
    ClientId client = new ClientId(Ids.newClientId());
    for (int i = 0; i < CHANNELS_PER_CLIENT; i++) {
      get(store.open(client.channel("t" + i)));
    }
    ChannelId oneTooMany = client.channel("t" + CHANNELS_PER_CLIENT);
    TooManyChannelsException refused = assertInstanceOf(TooManyChannelsException.class, failure(store.open(oneTooMany)));
    assertFalse(refused.relayWide());
    assertInstanceOf(TooManyChannelsException.class, failure(store.readAndLease(oneTooMany, null, false, Lease.NONE)));
    assertFalse(get(store.exists(oneTooMany)));
    get(store.open(newChannel())); // another client has its own
  }

  @Test
  void aSubscribedChannelReadsTheTopicFromWhereItJoined() throws Exception {
    TopicId topic = newTopic();
    ChannelId channel = newChannel();
    get(store.open(channel));
    get(store.openTopic(topic));
    assertEquals(0, get(store.publish(topic, new Send("before", 0))).subscribers());
    assertTrue(get(store.subscribe(channel, topic)));
    assertFalse(get(store.subscribe(channel, topic)), "following twice changes nothing");
    FeedCursor joined = get(store.open(channel));
    assertTrue(joined.topics().containsKey(topic.value()));

    Delivery news = get(store.publish(topic, new Send("after", 0)));
    assertEquals(1, news.subscribers());
    assertEquals(2, news.position().seq());
    Batch batch = read(channel, joined);
    assertEquals(List.of("after"), data(batch));
    assertEquals(topic.value(), batch.messages().get(0).topic());

    assertTrue(get(store.unsubscribe(channel, topic)));
    assertFalse(get(store.unsubscribe(channel, topic)));
    assertEquals(0, get(store.publish(topic, new Send("gone", 0))).subscribers());
    Batch after = read(channel, batch.cursor());
    assertTrue(after.messages().isEmpty());
    assertEquals(List.of(topic.value()), after.unsubscribed(), "the reader is told to subscribe again");
  }

  @Test
  void aChannelFollowsAtMostItsTopicLimit() throws Exception {
    ChannelId channel = newChannel();
    get(store.open(channel));
    for (int i = 0; i < TOPICS_PER_CHANNEL; i++) {
      assertTrue(get(store.subscribe(channel, newTopic())));
    }
    assertInstanceOf(TooManyTopicsException.class, failure(store.subscribe(channel, newTopic())));
  }

  @Test
  void confirmationsAreRecordedPerEpochAndHinted() throws Exception {
    TopicId topic = newTopic();
    ChannelId channel = newChannel();
    FeedCursor start = following(channel, topic);
    append(channel, "one");
    append(channel, "two");
    get(store.publish(topic, new Send("news", 0)));
    assertEquals(0, get(store.confirmed(channel)).seq());

    Batch batch = read(channel, start);
    FeedCursor afterOne = batch.cursorsAfterEach()[0];
    get(store.readAndLease(channel, afterOne, true, Lease.NONE)); // a poll's cursor confirms what it covers
    assertEquals(new Cursor(start.own().epoch(), 1), get(store.confirmed(channel)));
    hints.await("confirmed " + channel + " " + new Cursor(start.own().epoch(), 1));

    get(store.confirm(channel, batch.cursor()));
    assertEquals(2, get(store.confirmed(channel)).seq());
    Cursor topicConfirmed = get(store.confirmed(topic));
    assertEquals(batch.cursor().topics().get(topic.value()), topicConfirmed);
    hints.await("confirmed " + topic + " " + topicConfirmed);
    assertNull(get(store.confirmed(newChannel())));
  }

  @Test
  void aPollsCursorConfirmsItsTopicsAsWellAsItsChannel() throws Exception {
    TopicId topic = newTopic();
    ChannelId channel = newChannel();
    FeedCursor start = following(channel, topic);
    get(store.publish(topic, new Send("news", 0)));
    Batch batch = read(channel, start);
    assertEquals(0, get(store.confirmed(topic)).seq(), "read, not yet confirmed");

    get(store.readAndLease(channel, batch.cursor(), true, Lease.NONE)); // the poll that comes back
    Cursor topicConfirmed = get(store.confirmed(topic));
    assertEquals(batch.cursor().topics().get(topic.value()), topicConfirmed);
    hints.await("confirmed " + topic + " " + topicConfirmed);
  }

  /** Opens {@code channel}, makes it follow {@code topic}, and returns its cursor from then on. */
  private FeedCursor following(ChannelId channel, TopicId topic) throws Exception {
    get(store.open(channel));
    get(store.subscribe(channel, topic));
    return get(store.open(channel));
  }

  @Test
  void aChannelIsOnlineWhileHeldAndThroughTheGrace() throws Exception {
    ChannelId channel = newChannel();
    ChannelId sibling = channel.clientId().channel("other");
    get(store.open(channel));
    get(store.open(sibling));
    assertTrue(get(store.status(channel)).online(), "just opened");
    pass(GRACE.plusSeconds(1));
    assertFalse(get(store.status(channel)).online());
    assertFalse(get(store.status(channel.clientId())).online());

    Lease lease = Lease.poll(Duration.ofSeconds(30));
    get(store.readAndLease(channel, null, false, lease));
    pass(GRACE.plusSeconds(1));
    Presence held = get(store.status(channel));
    assertTrue(held.online(), "held past the grace");
    assertEquals(now.get(), held.lastSeen(), "seen now while held");
    assertTrue(get(store.status(channel.clientId())).online(), "a client is online if any channel is");
    assertFalse(get(store.status(sibling)).online());

    get(store.release(channel, lease));
    givenBack();
    long released = now.get();
    pass(GRACE.minusSeconds(1));
    assertTrue(get(store.status(channel)).online(), "within the grace after the receiver left");
    pass(Duration.ofSeconds(2));
    Presence gone = get(store.status(channel));
    assertFalse(gone.online());
    assertEquals(released, gone.lastSeen());
  }

  /** How long a test waits to see that no presence event comes: two of the Redis store's reaper rounds, and some. */
  private static final Duration QUIET = Duration.ofMillis(1_200);

  /** This test's store replaced by one that reports its presence events; returns where they go. */
  private PresenceEvents reporting() {
    PresenceEvents events = new PresenceEvents();
    store = newStoreReporting(config(), events);
    store.wakeups(hints);
    return events;
  }

  @Test
  void aLeaveTakesAnUnheldChannelOfflineAtOnceAndKeepsItsInbox() throws Exception {
    PresenceEvents events = reporting();
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    events.next(channel, "channel.online");
    append(channel, "kept");
    pass(Duration.ofSeconds(1));
    assertTrue(get(store.status(channel)).online(), "within the grace");

    assertTrue(get(store.leave(channel)));
    Presence left = get(store.status(channel));
    assertFalse(left.online(), "offline at once: no grace after a leave");
    assertEquals(now.get(), left.lastSeen(), "seen when it left");
    assertFalse(get(store.status(channel.clientId())).online(), "its client had no other channel");
    events.next(channel, "channel.offline");

    assertTrue(get(store.exists(channel)), "still live: sends wait for the tab to come back");
    append(channel, "while away");
    assertEquals(start.own().epoch(), get(store.open(channel)).own().epoch(), "the reloaded tab connects: the same inbox");
    assertTrue(get(store.status(channel)).online(), "back with its key");
    events.next(channel, "channel.online");
    Batch back = get(store.readAndLease(channel, start, true, Lease.NONE)); // and reads on from its cursor
    assertEquals(List.of("kept", "while away"), data(back));
    assertFalse(back.missed(), "nothing lost");
    pass(GRACE.minusSeconds(1));
    assertTrue(get(store.status(channel)).online(), "the grace counts again once it came back");
    events.none(channel, QUIET);
  }

  @Test
  void aLeaveWhileAReceiverHoldsTheChannelTakesItOfflineWithTheLastOne() throws Exception {
    PresenceEvents events = reporting();
    ChannelId channel = newChannel();
    get(store.open(channel));
    events.next(channel, "channel.online");
    get(store.readAndLease(channel, null, false, Lease.STREAM)); // the closing tab's stream, still open
    assertTrue(get(store.leave(channel)));
    assertTrue(get(store.status(channel)).online(), "online while its stream is open");
    events.none(channel, QUIET);

    get(store.release(channel, Lease.STREAM));
    assertFalse(get(store.status(channel)).online(), "offline as its last receiver leaves, without the grace");
    events.next(channel, "channel.offline");
    events.none(channel, QUIET);
  }

  /**
   * The closing tab's poll is cut off just before or just after its leave arrives: either way no
   * next poll is coming, so a store that gives poll leases back late (the Redis store) must not
   * wait for one (no {@link #givenBack} here).
   */
  @Test
  void aPollLeaseDoesNotKeepALeftChannelOnlineWhicheverComesFirst() throws Exception {
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    ChannelId leftFirst = newChannel();
    get(store.open(leftFirst));
    get(store.readAndLease(leftFirst, null, false, poll));
    assertTrue(get(store.leave(leftFirst)));
    assertTrue(get(store.status(leftFirst)).online(), "its poll still waits");
    get(store.release(leftFirst, poll));
    assertFalse(get(store.status(leftFirst)).online(), "offline as its poll leaves");

    ChannelId cutOffFirst = newChannel();
    get(store.open(cutOffFirst));
    get(store.readAndLease(cutOffFirst, null, false, poll));
    get(store.release(cutOffFirst, poll));
    assertTrue(get(store.leave(cutOffFirst)));
    assertFalse(get(store.status(cutOffFirst)).online(), "offline as it leaves");
  }

  /** How long after a leave only a connect ends it (see {@link Store#leave}). */
  private static final Duration LEAVE_SETTLE = Duration.ofSeconds(1);

  @Test
  void aLeaveIsOverOnceAReceiverProvesItsKeyASecondLaterOrConnects() throws Throwable {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    TopicId topic = newTopic();
    List<Executable> proofs = List.of(
        () -> get(store.readAndLease(channel, start, true, Lease.NONE)),
        () -> get(store.confirm(channel, start)),
        () -> get(store.subscribe(channel, topic)),
        () -> get(store.unsubscribe(channel, topic)),
        () -> get(store.open(channel)));
    for (Executable proof : proofs) {
      get(store.leave(channel));
      assertFalse(get(store.status(channel)).online());
      pass(LEAVE_SETTLE);
      proof.execute();
      assertTrue(get(store.status(channel)).online(), "online again");
      pass(GRACE.minusSeconds(1));
      assertTrue(get(store.status(channel)).online(), "and through the grace, as before the leave");
    }
  }

  /**
   * The leaving page's last ack or poll may reach the store just after its leave: within its
   * first second only a connect (the page that comes back) ends the leave, and the leaving page's
   * requests report nothing.
   */
  @Test
  void requestsOfTheLeavingPageStillOnTheirWayDoNotEndTheLeave() throws Exception {
    PresenceEvents events = reporting();
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    events.next(channel, "channel.online");
    assertTrue(get(store.leave(channel)));
    events.next(channel, "channel.offline");
    pass(LEAVE_SETTLE.minusMillis(1));

    get(store.confirm(channel, start)); // its last ack
    assertFalse(get(store.status(channel)).online(), "an ack on its way is no return");
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    get(store.readAndLease(channel, start, true, poll)); // its last poll
    assertTrue(get(store.status(channel)).online(), "online while that poll waits");
    get(store.release(channel, poll)); // cut off as the page goes
    assertFalse(get(store.status(channel)).online(), "offline as it is cut off, without the grace");
    events.none(channel, QUIET);

    get(store.open(channel)); // the reloaded page connects: back at once
    assertTrue(get(store.status(channel)).online());
    events.next(channel, "channel.online");
  }

  @Test
  void aLeaveNeverMakesAChannelLive() throws Exception {
    ChannelId channel = newChannel();
    assertFalse(get(store.leave(channel)));
    assertFalse(get(store.exists(channel)));
    assertEquals(Presence.NOBODY, get(store.status(channel)));
    get(store.open(channel));
    pass(IDLE.plusSeconds(1));
    store.sweep();
    assertFalse(get(store.leave(channel)), "expired");
    assertFalse(get(store.exists(channel)));
  }

  @Test
  void aHeldChannelDoesNotExpire() throws Exception {
    ChannelId channel = newChannel();
    get(store.open(channel));
    get(store.readAndLease(channel, null, false, Lease.STREAM));
    pass(IDLE.plusSeconds(1));
    store.sweep(); // a shared store sends the stream's renewal without waiting for it: a read may overtake it
    Await.until("the channel held by an open stream kept", Duration.ofSeconds(5), () -> get(store.exists(channel)));
    get(store.release(channel, Lease.STREAM));
    pass(IDLE.plusSeconds(1));
    store.sweep();
    assertFalse(get(store.exists(channel)));
  }

  @Test
  void aVariableIsSetOnceAndItsWaitersHinted() throws Exception {
    VariableName name = new VariableName("doorbell-0123456789abcdef");
    assertFalse(get(store.awaitVariable(name, Lease.NONE)));
    Lease lease = Lease.variable(Duration.ofSeconds(30));
    assertFalse(get(store.awaitVariable(name, lease)));
    get(store.setVariable(name));
    hints.await("variable " + name);
    assertEquals(0, get(store.setVariable(name)), "set already: nobody to wake");
    assertTrue(get(store.awaitVariable(name, Lease.NONE)));
    get(store.release(name, lease));
    assertTrue(get(store.awaitVariable(name, Lease.NONE)), "a variable never unsets");
  }

  @Test
  void aSendToAHeldChannelHintsItsNode() throws Exception {
    ChannelId channel = newChannel();
    get(store.open(channel));
    get(store.readAndLease(channel, null, false, Lease.poll(Duration.ofSeconds(30))));
    append(channel, "wake up");
    hints.await("channel " + channel);
    get(store.appendToClient(channel.clientId(), new Send("all tabs", 0)));
    hints.await("channels " + channel);

    TopicId topic = newTopic();
    get(store.subscribe(channel, topic));
    get(store.readAndLease(channel, null, false, Lease.NONE));
    get(store.publish(topic, new Send("news", 0)));
    hints.await("topic " + topic);
  }

  @Test
  void aSendCarriesItsMessageIdWithoutChangingWhatIsStored() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    assertEquals(1, get(store.append(channel, new Send("once", 0, "mid-1"))).position().seq());
    assertEquals(List.of("once"), data(read(channel, start)));
  }
}
