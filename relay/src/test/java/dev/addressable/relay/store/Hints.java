package dev.addressable.relay.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.inbox.Cursor;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node that only records the hints it hears, as lines ({@code "channel <id>"}, {@code "topic <id>"},
 * {@code "confirmed <id> <cursor>"}, …), for a test to await. Answers every hint with 0 receivers.
 */
public final class Hints implements Wakeups {

  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

  /** Waits (at most 10 s) for {@code hint}, dropping the hints heard before it. */
  public void await(String hint) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> others = new java.util.ArrayList<>();
    while (true) {
      String next = heard.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertTrue(next != null, "no hint " + hint + " within 10 s; heard " + others);
      if (next.equals(hint)) {
        return;
      }
      others.add(next);
    }
  }

  @Override
  public int channel(ChannelId channel) {
    heard.add("channel " + channel);
    return 0;
  }

  @Override
  public void channels(List<ChannelId> channels, int[] reached) {
    channels.forEach(channel -> heard.add("channels " + channel));
  }

  @Override
  public int topic(TopicId topic) {
    heard.add("topic " + topic);
    return 0;
  }

  @Override
  public void confirmed(ChannelId channel, Cursor upTo) {
    heard.add("confirmed " + channel + " " + upTo);
  }

  @Override
  public void confirmed(TopicId topic, Cursor upTo) {
    heard.add("confirmed " + topic + " " + upTo);
  }

  @Override
  public int variable(VariableName name) {
    heard.add("variable " + name);
    return 0;
  }
}
