package dev.addressable.relay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who answers the receivers a send wakes: the sender's thread, or one task on the executor. */
@Timeout(10)
class DispatcherTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InboxConfig defaults = RelayConfig.defaults().inbox();
  /** Room for more tabs per client than the default 256. */
  private final InboxConfig config = new InboxConfig(defaults.maxMessages(), defaults.maxBytes(), defaults.maxAge(),
      defaults.idleExpiry(), defaults.maxMessageBytes(), defaults.maxChannels(), 4 * Parker.SLICE);
  private final Parker parker = new Parker(1_000);
  private final Metrics metrics = new Metrics();
  private final Directory directory = new Directory(config, now::get, metrics, parker);
  /** Wake-ups handed to the executor, not yet run. */
  private final List<Runnable> queued = new ArrayList<>();
  private final Topics topics =
      new Topics(new KeyRing(new byte[32]), config, parker, queued::add, now::get, metrics,
          MemoryBudget.unlimited(), Duration.ofHours(1), 10);
  private final Dispatcher dispatcher = new Dispatcher(directory, topics, metrics, queued::add, MemoryBudget.unlimited());

  @AfterEach
  void stop() {
    parker.close();
  }

  private Parked<Batch> park(Channel channel) {
    Parked<Batch> parked = parker.park(Duration.ofSeconds(30), () -> null, channel.feed()::unpark);
    channel.feed().readOrPark(channel.feed().end(), parked, 10);
    return parked;
  }

  private static List<String> data(Parked<Batch> parked) {
    return parked.future().join().messages().stream().map(m -> m.data()).toList();
  }

  @Test
  void aSendToAFewTabsAnswersThemOnTheSendersThread() {
    String client = Ids.newClientId();
    List<Parked<Batch>> tabs = new ArrayList<>();
    for (int i = 0; i < Dispatcher.INLINE_WAKE_LIMIT; i++) {
      tabs.add(park(directory.open(client, "t" + i)));
    }
    Delivery delivery = dispatcher.toClient(client, "all of you", 0);
    assertEquals(Dispatcher.INLINE_WAKE_LIMIT, delivery.delivered());
    assertTrue(queued.isEmpty());
    tabs.forEach(p -> assertEquals(List.of("all of you"), data(p)));
  }

  @Test
  void aSendToManyTabsIsStoredAtOnceAndAnsweredInOneTaskOnTheExecutor() {
    String client = Ids.newClientId();
    int count = 3 * Parker.SLICE + 1; // once cut into four slices; now one task whatever the count
    List<Channel> channels = new ArrayList<>();
    List<Parked<Batch>> tabs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Channel channel = directory.open(client, "t" + i);
      channels.add(channel);
      if (i % 2 == 0) {
        tabs.add(park(channel));
      }
    }
    Delivery delivery = dispatcher.toClient(client, "crowd", 0);

    assertEquals(tabs.size(), delivery.delivered());
    assertEquals(count, delivery.channels().size());
    assertEquals(1, queued.size(), "one task for the whole fan-out");
    assertFalse(tabs.get(0).isFinished(), "the sender's thread answers nobody");
    channels.forEach(c -> assertEquals(1, c.inbox().end().seq(), "stored before the answer"));

    queued.get(0).run();
    tabs.forEach(p -> assertEquals(List.of("crowd"), data(p)));
  }

  @Test
  void aTopicPublishIsAnsweredInOneTaskOnTheExecutor() {
    Topic topic = topics.create().topic();
    List<Parked<Batch>> subscribers = new ArrayList<>();
    for (int i = 0; i < Parker.SLICE + 1; i++) {
      Channel channel = directory.open(Ids.newClientId(), "tab");
      channel.feed().subscribe(topic, 10);
      subscribers.add(park(channel));
    }
    Delivery delivery = dispatcher.toTopic(topic, "news", 0);

    assertEquals(subscribers.size(), delivery.delivered());
    assertEquals(1, queued.size(), "one task for every subscriber");
    assertFalse(subscribers.get(0).isFinished());
    queued.get(0).run();
    subscribers.forEach(p -> assertEquals(List.of("news"), data(p)));
  }
}
