package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.store.ChannelId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Owed poll leases: each given back once, by the next poll's read or after the grace, never both. */
class OwedReleasesTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final OwedReleases owed = new OwedReleases(now::get);
  private final List<ChannelId> given = new ArrayList<>();

  private static ChannelId newChannel() {
    return new ChannelId(Ids.newClientId(), "tab");
  }

  private void pass(long millis) {
    now.addAndGet(millis * 1_000_000L);
  }

  @Test
  void theNextPollTakesTheOwedLeaseAndTheGraceFindsNothingLeft() {
    ChannelId channel = newChannel();
    owed.owe(channel);
    assertTrue(owed.take(channel));
    assertFalse(owed.take(channel), "taken once");
    pass(OwedReleases.GRACE.toMillis() + 1);
    assertEquals(0, owed.settle((c, ago) -> given.add(c)));
    assertEquals(List.of(), given);
  }

  @Test
  void aLeaseNobodyTakesIsGivenBackOnceAfterTheGrace() {
    ChannelId channel = newChannel();
    owed.owe(channel);
    owed.owe(channel); // two polls of the channel left together
    pass(OwedReleases.GRACE.toMillis() - 1);
    assertEquals(0, owed.settle((c, ago) -> given.add(c)), "still within the grace");
    pass(2);
    List<Long> agos = new ArrayList<>();
    assertEquals(2, owed.settle((c, ago) -> {
      given.add(c);
      agos.add(ago);
    }));
    assertEquals(List.of(OwedReleases.GRACE.toMillis() + 1, OwedReleases.GRACE.toMillis() + 1), agos,
        "each given back with how long ago its poll left");
    assertEquals(List.of(channel, channel), given);
    assertEquals(0, owed.count(channel));
    assertFalse(owed.take(channel), "given back already: the next poll gives nothing back");
  }

  @Test
  void aLeaseOwedAgainMeanwhileWaitsForItsOwnGrace() {
    ChannelId channel = newChannel();
    owed.owe(channel);
    pass(OwedReleases.GRACE.toMillis() - 500);
    assertTrue(owed.take(channel));
    owed.owe(channel); // the next poll left too
    pass(600);
    assertEquals(0, owed.settle((c, ago) -> given.add(c)), "the latest left 600 ms ago");
    pass(OwedReleases.GRACE.toMillis());
    assertEquals(1, owed.settle((c, ago) -> given.add(c)));
  }

  @Test
  void aLeaveGivesBackWhatIsOwedThereAtOnceAndOwesNothingMoreThere() {
    ChannelId channel = newChannel();
    ChannelId other = newChannel();
    assertTrue(owed.owe(channel));
    assertTrue(owed.owe(other));
    pass(300);
    List<Long> agos = new ArrayList<>();
    assertEquals(1, owed.leave(channel, (c, ago) -> {
      given.add(c);
      agos.add(ago);
    }));
    assertEquals(List.of(channel), given, "only the left channel's, without waiting for the grace");
    assertEquals(List.of(300L), agos);
    assertFalse(owed.owe(channel), "a poll cut off after the leave is given back by its caller");
    assertEquals(0, owed.count(channel));
    assertEquals(1, owed.count(other));
  }

  @Test
  void aLeftChannelOwesAgainAfterTheGrace() {
    ChannelId channel = newChannel();
    owed.leave(channel, (c, ago) -> given.add(c));
    assertEquals(List.of(), given, "nothing was owed");
    pass(OwedReleases.GRACE.toMillis() - 1);
    owed.settle((c, ago) -> given.add(c));
    assertFalse(owed.owe(channel), "within the grace");
    pass(1);
    owed.settle((c, ago) -> given.add(c));
    assertTrue(owed.owe(channel), "the leave is forgotten after the grace");
  }

  @Test
  void closingGivesBackEverythingOwed() {
    ChannelId one = newChannel();
    ChannelId two = newChannel();
    owed.owe(one);
    owed.owe(two);
    owed.settleAll((c, ago) -> given.add(c));
    assertEquals(2, given.size());
    assertEquals(0, owed.count(one) + owed.count(two));
  }
}
