package dev.addressable.relay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a send answers the receivers waiting for it: after the sender, or on the executor. */
@Timeout(10)
class DispatcherTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InboxConfig config = RelayConfig.defaults().inbox();
  private final Parker parker = new Parker(1_000);
  private final Metrics metrics = new Metrics();
  private final Directory directory = new Directory(config, now::get, metrics, parker);
  /** Wake-ups handed to the executor, not yet run. */
  private final List<Runnable> queued = new ArrayList<>();
  private final Dispatcher dispatcher = new Dispatcher(directory,
      new Topics(new KeyRing(new byte[32]), config, parker, Runnable::run, now::get, metrics, Duration.ofHours(1), 10),
      metrics, queued::add);

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
  void aChannelSendCountsItsWaitingReceiversAndAnswersThemOnlyAtWake() {
    String client = Ids.newClientId();
    Channel tab = directory.open(client, "tab");
    Parked<Batch> first = park(tab);
    Parked<Batch> second = park(tab);

    Delivery delivery = dispatcher.toChannel(client, "tab", "hello", 5, 0);

    assertEquals(2, delivery.delivered());
    assertEquals(1, delivery.seq());
    assertFalse(first.isFinished(), "the sender is answered first; the receivers wait for wake()");
    assertEquals(2, tab.feed().waiterCount());
    delivery.wake();
    assertEquals(List.of("hello"), data(first));
    assertEquals(List.of("hello"), data(second));
    assertEquals(0, tab.feed().waiterCount());
    assertTrue(queued.isEmpty());
  }

  @Test
  void aSendToAFewTabsWakesThemAtWakeAndOneToManyOnTheExecutor() {
    String few = Ids.newClientId();
    List<Parked<Batch>> fewParked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fewParked.add(park(directory.open(few, "t" + i)));
    }
    Delivery toFew = dispatcher.toClient(few, "all of you", 10, 0);
    assertEquals(3, toFew.delivered());
    assertFalse(fewParked.get(0).isFinished());
    toFew.wake();
    fewParked.forEach(p -> assertEquals(List.of("all of you"), data(p)));
    assertTrue(queued.isEmpty());

    String many = Ids.newClientId();
    int tabs = Dispatcher.INLINE_WAKE_LIMIT + 1;
    List<Parked<Batch>> manyParked = new ArrayList<>();
    for (int i = 0; i < tabs; i++) {
      manyParked.add(park(directory.open(many, "t" + i)));
    }
    Delivery toMany = dispatcher.toClient(many, "crowd", 5, 0);
    assertEquals(tabs, toMany.delivered());
    toMany.wake();
    assertFalse(manyParked.get(0).isFinished(), "a crowd is woken on the executor, not by the sender");
    assertEquals(1, queued.size());
    queued.forEach(Runnable::run);
    manyParked.forEach(p -> assertEquals(List.of("crowd"), data(p)));
  }

  @Test
  void aReceiverThatIsNotWaitingReadsTheMessageAtItsNextPoll() {
    String client = Ids.newClientId();
    Channel tab = directory.open(client, "tab");
    var start = tab.feed().end();
    Delivery delivery = dispatcher.toChannel(client, "tab", "later", 5, 0);
    assertEquals(0, delivery.delivered());
    delivery.wake();
    assertEquals(List.of("later"), tab.feed().read(start).messages().stream().map(m -> m.data()).toList());
  }
}
