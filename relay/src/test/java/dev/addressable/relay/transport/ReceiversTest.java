package dev.addressable.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.NodeWakeups;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.store.memory.MemoryStore;
import dev.addressable.relay.topic.TopicKeys;
import dev.addressable.relay.variable.Doorbells;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The receivers at a node: a poll waits in its channel's room before it reads, every waiter of a
 * channel is answered once with what is new, and who answers the receivers a send wakes (the
 * sender's thread, or one task on the bulk executor).
 */
@Timeout(10)
class ReceiversTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RelayConfig defaults = RelayConfig.defaults();
  /** Room for more tabs per client than the default 256, and two waiting polls per channel. */
  private final RelayConfig config = withInbox(defaults.inbox()).withPoll(defaults.poll().withMaxPerChannel(2));
  private final Parker parker = new Parker(10_000);
  /** Wake-ups handed to the bulk executor, not yet run. */
  private final List<Runnable> queued = new ArrayList<>();
  private final MemoryStore store = new MemoryStore(config, now::get, new Metrics(), MemoryBudget.unlimited());
  private final Receivers receivers = new Receivers(store, queued::add, Runnable::run, now::get);
  private final LongPoll longPoll = new LongPoll(store, receivers, parker, config.poll());

  {
    store.wakeups(new NodeWakeups(receivers, new Receipts(store, parker, Runnable::run),
        new Doorbells(store, parker, Runnable::run)));
  }

  private static RelayConfig withInbox(InboxConfig d) {
    return RelayConfig.defaults().withInbox(new InboxConfig(d.maxMessages(), d.maxBytes(), d.maxAge(), d.idleExpiry(),
        d.maxMessageBytes(), d.maxChannels(), 4 * Parker.SLICE));
  }

  @AfterEach
  void stop() {
    parker.close();
  }

  private FeedCursor open(ChannelId channel) {
    return Stages.now(store.open(channel));
  }

  /** A long-poll of 30 s from {@code after}: its answer, now or later. */
  private CompletableFuture<Batch> poll(ChannelId channel, FeedCursor after) {
    CompletableFuture<Batch> answer = new CompletableFuture<>();
    Batch now = longPoll.poll(channel, after, after != null, Duration.ofSeconds(30), (batch, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(batch);
      }
    }, cancel -> { });
    if (now != null) {
      answer.complete(now);
    }
    return answer;
  }

  /** A channel made live, with a poll waiting on it from its end. */
  private CompletableFuture<Batch> parked(ChannelId channel) {
    CompletableFuture<Batch> answer = poll(channel, open(channel));
    assertFalse(answer.isDone());
    return answer;
  }

  private static List<String> data(CompletableFuture<Batch> answer) throws Exception {
    return answer.get(5, TimeUnit.SECONDS).messages().stream().map(Message::data).toList();
  }

  private Delivery append(ChannelId channel, String text) {
    return Stages.now(store.append(channel, new Send(text, 0)));
  }

  @Test
  void aSendAnswersEveryWaitingReaderOnceWithWhatIsNew() throws Exception {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor start = open(channel);
    CompletableFuture<Batch> a = poll(channel, start);
    CompletableFuture<Batch> b = poll(channel, start);
    assertEquals(2, receivers.waiterCount(channel));
    assertTrue(receivers.find(channel).isWaiting());
    assertEquals(2, append(channel, "hi").delivered());
    assertEquals(List.of("hi"), data(a));
    assertEquals(List.of("hi"), data(b));
    assertEquals(0, receivers.waiterCount(channel));
    assertFalse(receivers.find(channel).isWaiting());
    assertEquals(0, receivers.wake(channel));
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void aStoreThatCannotServeReleasesEveryWaitingPollWithItsFailure() throws Exception {
    ChannelId one = new ChannelId(Ids.newClientId(), "tab");
    ChannelId other = new ChannelId(Ids.newClientId(), "tab");
    CompletableFuture<Batch> a = parked(one);
    CompletableFuture<Batch> b = parked(other);
    StoreUnavailable down = new StoreUnavailable("down", true);
    new NodeWakeups(receivers, new Receipts(store, parker, Runnable::run), new Doorbells(store, parker, Runnable::run))
        .unavailable(down);
    ExecutionException failedA = assertThrows(ExecutionException.class, () -> a.get(5, TimeUnit.SECONDS));
    assertSame(down, failedA.getCause());
    assertThrows(ExecutionException.class, () -> b.get(5, TimeUnit.SECONDS));
    assertEquals(0, receivers.waiterCount(one));
    assertEquals(0, receivers.waiterCount(other));
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void aPollAnswersAtOnceWhenSomethingIsThereAndLeavesNoWaiter() throws Exception {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor start = open(channel);
    append(channel, "ready");
    CompletableFuture<Batch> answer = poll(channel, start);
    assertTrue(answer.isDone());
    assertEquals(List.of("ready"), data(answer));
    assertEquals(0, receivers.waiterCount(channel));
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void refusesMoreWaitersThanTheLimitWhenThereIsNothingToRead() {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    parked(channel);
    parked(channel);
    assertThrows(TooManyWaitersException.class, () -> poll(channel, open(channel)));
  }

  @Test
  void aPositionCheckWakesOnlyWaitersBehindTheTop() throws Exception {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor start = open(channel);
    CompletableFuture<Batch> waiting = parked(channel);
    var node = new NodeWakeups(receivers, new Receipts(store, parker, Runnable::run),
        new Doorbells(store, parker, Runnable::run));
    store.wakeups(Wakeups.NONE); // a hint that never arrives
    FeedCursor top = FeedCursor.of(append(channel, "unhinted").position());
    store.wakeups(node);
    assertFalse(waiting.isDone());

    assertEquals(0, node.channelBehind(channel, start.own()), "at the top it was told of: left alone");
    assertFalse(waiting.isDone());
    assertEquals(1, node.channelBehind(channel, top.own()));
    assertEquals(List.of("unhinted"), data(waiting));
  }

  @Test
  void aTopicPublishWakesSubscribedReaders() throws Exception {
    TopicId topic = new TopicId(new TopicKeys(new KeyRing(new byte[32])).create().id());
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    open(channel);
    assertTrue(Stages.now(store.subscribe(channel, topic)));
    CompletableFuture<Batch> answer = parked(channel); // its read learns that the channel follows the topic
    Delivery published = Stages.now(store.publish(topic, new Send("to all", 0)));
    assertEquals(1, published.subscribers());
    assertEquals(1, published.delivered());
    assertEquals(1, queued.size());
    queued.get(0).run();
    Message m = answer.get(5, TimeUnit.SECONDS).messages().get(0);
    assertEquals(topic.value(), m.topic());
    assertTrue(m.json().endsWith(",\"topic\":\"" + topic.value() + "\"}"), m.json());
  }

  @Test
  void aMessageCarriedByATopicHintAnswersSubscribersJustBeforeItWithoutARead() throws Exception {
    TopicId topic = new TopicId(new TopicKeys(new KeyRing(new byte[32])).create().id());
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    open(channel);
    receivers.follow(channel, topic);
    assertTrue(Stages.now(store.subscribe(channel, topic)));
    FeedCursor at = open(channel);
    Cursor position = at.topics().get(topic.value());
    CompletableFuture<Batch> next = poll(channel, at);
    // Carried by a hint only: the store here never had it, so only the hint can answer with it.
    Cursor top = new Cursor(position.epoch(), position.seq() + 1);
    Message carried = new Message(top.seq(), new Message.Body("carried", now.get(), now.get() + 60_000, topic.value()));
    assertEquals(1, receivers.wake(topic, top, carried));
    queued.remove(0).run();
    Batch answer = next.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("carried"), answer.messages().stream().map(Message::data).toList());
    assertEquals(top, answer.cursor().topics().get(topic.value()));
    assertEquals(at.own(), answer.cursor().own(), "its own inbox stays where it was, for its next read");

    CompletableFuture<Batch> behind = poll(channel, at);
    Cursor beyond = new Cursor(position.epoch(), position.seq() + 2); // one before it was not seen here
    receivers.wake(topic, beyond, new Message(beyond.seq(), new Message.Body("gap", now.get(), now.get() + 60_000,
        topic.value())));
    queued.remove(0).run();
    assertFalse(behind.isDone(), "not just before it: it read the store, which has nothing new");
  }

  @Test
  void aPollFromACursorOlderThanItsSubscriptionLearnsItsTopicPositionFromItsRead() throws Exception {
    TopicId topic = new TopicId(new TopicKeys(new KeyRing(new byte[32])).create().id());
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor before = open(channel); // the cursor its tab was given at connect, before it subscribed
    receivers.follow(channel, topic);
    assertTrue(Stages.now(store.subscribe(channel, topic)));
    Cursor position = open(channel).topics().get(topic.value());
    CompletableFuture<Batch> next = poll(channel, before);
    assertFalse(next.isDone());

    // Carried by a hint only: answered without a read only if its read taught it where it is.
    Cursor top = new Cursor(position.epoch(), position.seq() + 1);
    receivers.wake(topic, top, new Message(top.seq(), new Message.Body("carried", now.get(), now.get() + 60_000,
        topic.value())));
    queued.remove(0).run();
    Batch answer = next.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("carried"), answer.messages().stream().map(Message::data).toList());
    assertEquals(top, answer.cursor().topics().get(topic.value()));
  }

  @Test
  void aSendToAFewTabsAnswersThemOnTheSendersThread() throws Exception {
    ClientId client = new ClientId(Ids.newClientId());
    List<CompletableFuture<Batch>> tabs = new ArrayList<>();
    for (int i = 0; i < Receivers.INLINE_WAKE_LIMIT; i++) {
      tabs.add(parked(client.channel("t" + i)));
    }
    Delivery delivery = Stages.now(store.appendToClient(client, new Send("all of you", 0)));
    assertEquals(Receivers.INLINE_WAKE_LIMIT, delivery.delivered());
    assertTrue(queued.isEmpty());
    for (CompletableFuture<Batch> tab : tabs) {
      assertEquals(List.of("all of you"), data(tab));
    }
  }

  @Test
  void aSendToManyTabsIsStoredAtOnceAndAnsweredInOneTaskOnTheExecutor() throws Exception {
    ClientId client = new ClientId(Ids.newClientId());
    int count = 3 * Parker.SLICE + 1; // once cut into four slices; now one task whatever the count
    List<ChannelId> channels = new ArrayList<>();
    List<CompletableFuture<Batch>> tabs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChannelId channel = client.channel("t" + i);
      channels.add(channel);
      if (i % 2 == 0) {
        tabs.add(parked(channel));
      } else {
        open(channel);
      }
    }
    Delivery delivery = Stages.now(store.appendToClient(client, new Send("crowd", 0)));

    assertEquals(tabs.size(), delivery.delivered());
    assertEquals(count, delivery.channels().size());
    assertEquals(1, queued.size(), "one task for the whole fan-out");
    assertFalse(tabs.get(0).isDone(), "the sender's thread answers nobody");
    for (ChannelId channel : channels) {
      assertEquals(1, Stages.now(store.open(channel)).own().seq(), "stored before the answer");
    }

    queued.get(0).run();
    for (CompletableFuture<Batch> tab : tabs) {
      assertEquals(List.of("crowd"), data(tab));
    }
  }

  @Test
  void aTopicPublishIsAnsweredInOneTaskOnTheExecutor() throws Exception {
    TopicId topic = new TopicId(new TopicKeys(new KeyRing(new byte[32])).create().id());
    List<CompletableFuture<Batch>> subscribers = new ArrayList<>();
    for (int i = 0; i < Parker.SLICE + 1; i++) {
      ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
      open(channel);
      receivers.follow(channel, topic); // as the subscribe endpoint does, before the store hears of it
      Stages.now(store.subscribe(channel, topic));
      subscribers.add(parked(channel));
    }
    Delivery delivery = Stages.now(store.publish(topic, new Send("news", 0)));

    assertEquals(subscribers.size(), delivery.delivered());
    assertEquals(1, queued.size(), "one task for every subscriber");
    assertFalse(subscribers.get(0).isDone());
    queued.get(0).run();
    for (CompletableFuture<Batch> subscriber : subscribers) {
      assertEquals(List.of("news"), data(subscriber));
    }
  }
}
