package dev.addressable.relay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.NodeWakeups;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.memory.MemoryStore;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.variable.Doorbells;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Senders waiting at the node for a receipt, answered by the store's confirmations. */
@Timeout(10)
class ReceiptsTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Parker parker = new Parker(100);
  private final MemoryStore store =
      new MemoryStore(RelayConfig.defaults(), now::get, RelayEvents.NONE, MemoryBudget.unlimited());
  private final Receipts receipts = new Receipts(store, parker, Runnable::run);

  {
    store.wakeups(new NodeWakeups(new Receivers(store, Runnable::run, Runnable::run, now::get), receipts,
        new Doorbells(store, parker, Runnable::run)));
  }

  @AfterEach
  void stop() {
    parker.close();
  }

  private Delivery append(ChannelId channel, String text) {
    return Stages.now(store.append(channel, new Send(text, 0)));
  }

  @Test
  void confirmationAnswersReceiptsUpToTheCursor() throws Exception {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor start = Stages.now(store.open(channel));
    Delivery one = append(channel, "one");
    Delivery two = append(channel, "two");
    CompletableFuture<Boolean> first = receipts.await(channel, one.position(), Duration.ofSeconds(5));
    CompletableFuture<Boolean> second = receipts.await(channel, two.position(), Duration.ofSeconds(5));
    FeedCursor afterOne = Stages.now(store.readAndLease(channel, start, false, Lease.NONE)).cursorsAfterEach()[0];
    Stages.now(store.confirm(channel, afterOne));
    assertTrue(first.get(1, TimeUnit.SECONDS));
    assertFalse(second.isDone());
    assertFalse(receipts.await(channel, two.position(), Duration.ofMillis(50)).get(1, TimeUnit.SECONDS),
        "nobody read it in time");
  }

  @Test
  void aReceiptConfirmedBeforeTheSenderWaitsIsAnsweredAtOnce() throws Exception {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    FeedCursor start = Stages.now(store.open(channel));
    Delivery one = append(channel, "one");
    FeedCursor read = Stages.now(store.readAndLease(channel, start, false, Lease.NONE)).cursor();
    Stages.now(store.readAndLease(channel, read, true, Lease.NONE)); // the next poll confirms what it read
    CompletableFuture<Boolean> late = receipts.await(channel, one.position(), Duration.ofSeconds(5));
    assertTrue(late.isDone());
    assertTrue(late.get());
    assertEquals(0, parker.parkedCount(), "nothing left waiting");
  }

  @Test
  void aSenderThatLeavesIsNoLongerWaiting() {
    ChannelId channel = new ChannelId(Ids.newClientId(), "tab");
    Stages.now(store.open(channel));
    CompletableFuture<Boolean> receipt = receipts.await(channel, append(channel, "x").position(), Duration.ofSeconds(5));
    assertEquals(1, parker.parkedCount());
    receipt.cancel(false);
    assertEquals(0, parker.parkedCount());
  }
}
