package dev.addressable.relay.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DirectoryTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InboxConfig d = RelayConfig.defaults().inbox();
  private final Directory directory = new Directory(
      new InboxConfig(d.maxMessages(), d.maxBytes(), d.maxAge(), Duration.ofSeconds(10), d.maxMessageBytes(), 3, 2),
      now::get, RelayEvents.NONE);

  @Test
  void opensOnceAndFindsAgain() {
    String client = Ids.newClientId();
    Channel a = directory.open(client, "a");
    assertSame(a, directory.open(client, "a"));
    assertSame(a, directory.find(client, "a"));
    assertNull(directory.find(client, "b"));
    assertEquals(1, directory.channelCount());
  }

  @Test
  void dropsIdleChannelsAndTheirInboxes() {
    String client = Ids.newClientId();
    Channel old = directory.open(client, "a");
    now.addAndGet(5_000);
    directory.open(client, "b");
    now.addAndGet(6_000);
    assertEquals(1, directory.sweep());
    assertNull(directory.find(client, "a"));
    assertTrue(directory.find(client, "b") != null);
    Channel reopened = directory.open(client, "a");
    assertNotSame(old, reopened);
    assertFalse(old.inbox().epoch().equals(reopened.inbox().epoch()), "a new inbox has a new epoch");
  }

  @Test
  void enforcesPerClientAndRelayWideLimits() {
    String client = Ids.newClientId();
    directory.open(client, "a");
    directory.open(client, "b");
    TooManyChannelsException perClient = assertThrows(TooManyChannelsException.class, () -> directory.open(client, "c"));
    assertFalse(perClient.relayWide());
    directory.open(Ids.newClientId(), "a");
    TooManyChannelsException relayWide =
        assertThrows(TooManyChannelsException.class, () -> directory.open(Ids.newClientId(), "a"));
    assertTrue(relayWide.relayWide());
    assertEquals(3, directory.channelCount());
  }
}
