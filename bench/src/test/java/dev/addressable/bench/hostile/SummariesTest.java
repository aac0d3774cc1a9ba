package dev.addressable.bench.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SummariesTest {

  @Test
  void sendsSaySortedOutcomesStatusesTheFirstBodyAndWhatWasLeftWaiting() {
    Tally t = new Tally();
    t.add("accepted", 3);
    t.add("accepted bytes", 3 * 1024 * 1024);
    t.add("refused", 2);
    t.status(507);
    t.status(507);
    t.sample("answer 507", "{\"error\":\"memory_full\",\n \"message\":\"the relay's message memory is full\"}");
    t.sample("answer 507", "a later body is not kept");
    t.add("failed");
    t.add("failed (reset)");
    t.add("unanswered at end", 2);
    t.add("oldest unanswered at end ms", 8250);
    assertEquals("16 POSTs: accepted 3 (3 MiB), refused 2, failed 1; statuses 507×2; first 507 said: "
        + "{\"error\":\"memory_full\", \"message\":\"the relay's message memory is full\"}; failures reset×1; "
        + "unanswered at end 2 (oldest waiting 8.3 s)", Summaries.sends("16 POSTs", t));
  }

  @Test
  void heldConnectionsSayWhatTheServerDidToThem() {
    Tally t = new Tally();
    t.status(408);
    t.add("dropped (closed)", 3);
    t.add("dropped (reset)");
    assertEquals("500 heads: 496 open at end; server answered 408×1; server dropped 4 closed×3, reset×1",
        Summaries.held("500 heads", 496, t));
  }
}
