package dev.addressable.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.addressable.relay.event.EventOutlet;
import dev.addressable.relay.event.RelayEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The presence events a store reports, as lines ({@code "channel.online <client> <name>"},
 * {@code "channel.offline <client> <name>"}), for a test to take one channel's in order: the
 * memory store tells them as they happen ({@link RelayEvents}), the Redis store through its event
 * stream and reaper ({@link EventOutlet}), which may also deliver other tests' channels: a test
 * only ever looks at its own.
 */
public final class PresenceEvents implements RelayEvents, EventOutlet {

  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
  /** Lines taken off the queue while looking for another channel's, kept for their own channel. */
  private final List<String> aside = new ArrayList<>();

  @Override
  public void online(String client, String channel, long ts) {
    heard.add("channel.online " + client + " " + channel);
  }

  @Override
  public void offline(String client, String channel, long ts) {
    heard.add("channel.offline " + client + " " + channel);
  }

  @Override
  public void deliver(Map<String, Object> body) {
    if (body.get("type") instanceof String type && type.startsWith("channel.")) {
      heard.add(type + " " + body.get("client") + " " + body.get("channel"));
    }
  }

  @Override
  public void dropped(long count) {}

  /** Waits (at most 10 s) for the channel's next presence event and asserts it is {@code type}. */
  public void next(ChannelId channel, String type) throws InterruptedException {
    String event = take(channel, Duration.ofSeconds(10));
    assertNotNull(event, "no presence event of " + channel + " within 10 s; expected " + type);
    assertEquals(type + " " + channel.client() + " " + channel.name(), event);
  }

  /** Asserts the channel reports nothing more within {@code within}. */
  public void none(ChannelId channel, Duration within) throws InterruptedException {
    String event = take(channel, within);
    assertNull(event, "no further presence event of " + channel);
  }

  private String take(ChannelId channel, Duration within) throws InterruptedException {
    String mine = " " + channel.client() + " " + channel.name();
    for (int i = 0; i < aside.size(); i++) {
      if (aside.get(i).endsWith(mine)) {
        return aside.remove(i);
      }
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String next = heard.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null || next.endsWith(mine)) {
        return next;
      }
      aside.add(next);
    }
  }
}
