package dev.addressable.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.store.memory.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory store keeps the contract; and what only it promises: stages complete at once. */
class MemoryStoreTest extends StoreContractTest {

  @Override
  protected Store newStore(RelayConfig config) {
    return new MemoryStore(config, now::get, RelayEvents.NONE, MemoryBudget.unlimited());
  }

  @Override
  protected Store newStoreReporting(RelayConfig config, PresenceEvents events) {
    return new MemoryStore(config, now::get, events, MemoryBudget.unlimited());
  }

  @Test
  void everyStageIsCompleteWhenReturned() {
    ChannelId channel = newChannel();
    assertTrue(Stages.isDone(store.open(channel)));
    assertTrue(Stages.isDone(store.append(channel, new Send("now", 0))));
    assertTrue(Stages.isDone(store.readAndLease(channel, null, false, Lease.NONE)));
    assertTrue(Stages.isDone(store.confirm(channel, Stages.now(store.open(channel)))));
    assertTrue(Stages.isDone(store.status(channel)));
    assertTrue(Stages.isDone(store.setVariable(new VariableName("doorbell-0123456789abcdef"))));
  }

  @Test
  void aVariableSomeoneWaitsOnIsKeptPastItsExpiry() {
    VariableName waitedOn = new VariableName("waited-on-0123456789");
    store.setVariable(new VariableName("set-and-left-0123456789"));
    Lease lease = Lease.variable(Duration.ofSeconds(30));
    store.awaitVariable(waitedOn, lease);
    pass(Duration.ofSeconds(301));
    store.sweep();
    assertEquals(1, store.counts().variables());
    store.release(waitedOn, lease);
    store.sweep();
    assertEquals(0, store.counts().variables());
  }
}
