package dev.addressable.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private Ledger ledger;

  @BeforeEach
  void twoChannels() {
    ledger = new Ledger();
    ledger.channel("a", "longpoll");
    ledger.channel("b", "sse");
  }

  /** A send of {@code mid} to {@code channel}, answered {@code status}. */
  private void send(String channel, String mid, long index, int status) {
    ledger.sending(channel, mid, index);
    ledger.attempt(mid);
    ledger.answered(mid, status);
  }

  @Test
  void everyAcknowledgedMessageDeliveredOnceBreaksNoPromise() {
    send("a", "a-1", 1, 202);
    send("a", "a-2", 2, 202);
    send("b", "b-1", 1, 202);
    ledger.delivered("a", "e", 1, "a-1");
    ledger.delivered("a", "e", 2, "a-2");
    ledger.delivered("b", "f", 1, "b-1");
    Tally t = ledger.tally();
    assertEquals(3, t.sent());
    assertEquals(3, t.acknowledged());
    assertEquals(3, t.delivered());
    assertEquals(0, t.lost());
    assertEquals(List.of(), t.brokenPromises());
    assertEquals(0, ledger.outstanding());
  }

  @Test
  void aRedeliveryOfTheSamePairIsSkippedByTheClientsDedupAndIsNoDuplicate() {
    send("a", "a-1", 1, 202);
    ledger.delivered("a", "e", 1, "a-1");
    ledger.delivered("a", "e", 1, "a-1"); // a reconnect from a cursor before it
    Tally t = ledger.tally();
    assertEquals(1, t.delivered());
    assertEquals(0, t.duplicated());
    assertEquals(1, t.skippedByDedup());
  }

  @Test
  void aSendStoredTwiceUnderTwoSeqsIsDuplicated() {
    ledger.sending("a", "a-1", 1);
    ledger.attempt("a-1");
    ledger.noAnswer("a-1"); // the relay died after storing it
    ledger.attempt("a-1");
    ledger.answered("a-1", 202); // the retry was stored again: mid not honoured
    ledger.delivered("a", "e", 1, "a-1");
    ledger.delivered("a", "e", 2, "a-1");
    Tally t = ledger.tally();
    assertEquals(1, t.sent());
    assertEquals(2, t.attempts());
    assertEquals(1, t.noAnswer());
    assertEquals(1, t.delivered());
    assertEquals(1, t.duplicated());
    assertEquals(List.of("1 delivered twice past the client's de-dup"), t.brokenPromises());
  }

  @Test
  void anAcknowledgedMessageNeverDeliveredNorReportedIsLost() {
    send("a", "a-1", 1, 202);
    send("a", "a-2", 2, 202);
    ledger.delivered("a", "e", 2, "a-2");
    assertEquals(1, ledger.outstanding());
    Tally t = ledger.tally();
    assertEquals(1, t.lost());
    assertEquals(0, t.reportedMissed());
    assertEquals(1, t.perTransport().get("longpoll").lost());
  }

  @Test
  void aMissedReportedAfterTheSendBeganCoversTheMessage() {
    send("a", "a-1", 1, 202);
    ledger.missed("a"); // the relay says the reader skipped something
    assertEquals(0, ledger.outstanding());
    Tally t = ledger.tally();
    assertEquals(0, t.lost());
    assertEquals(1, t.reportedMissed());
    assertEquals(1, t.missedReports());
    assertEquals(1, t.brokenPromises().size()); // a node kill must cost no missed at all
  }

  @Test
  void aMissedReportedBeforeTheSendBeganCoversNothing() {
    ledger.missed("a");
    send("a", "a-1", 1, 202);
    Tally t = ledger.tally();
    assertEquals(1, t.lost());
    assertEquals(0, t.reportedMissed());
  }

  @Test
  void aMissedOnAnotherChannelCoversNothing() {
    send("a", "a-1", 1, 202);
    ledger.missed("b");
    assertEquals(1, ledger.tally().lost());
  }

  @Test
  void afterAMissedTheDedupStartsAgainSoARestartedSeqIsDelivered() {
    send("a", "a-1", 1, 202);
    ledger.delivered("a", "e1", 1, "a-1");
    send("a", "a-2", 2, 202);
    ledger.missed("a"); // a new inbox: seqs start again at 1
    ledger.delivered("a", "e2", 1, "a-2");
    Tally t = ledger.tally();
    assertEquals(2, t.delivered());
    assertEquals(0, t.skippedByDedup());
    assertEquals(0, t.pairConflicts());
  }

  @Test
  void withoutAMissedALowerSeqIsSkippedEvenIfItIsNew() {
    send("a", "a-1", 1, 202);
    send("a", "a-2", 2, 202);
    ledger.delivered("a", "e1", 5, "a-1");
    ledger.delivered("a", "e2", 1, "a-2"); // a new epoch the relay did not flag: the client drops it
    Tally t = ledger.tally();
    assertEquals(1, t.delivered());
    assertEquals(1, t.lost());
    assertEquals(1, t.skippedByDedup());
  }

  @Test
  void onePairWithTwoMessagesIsAConflict() {
    send("a", "a-1", 1, 202);
    send("a", "a-2", 2, 202);
    ledger.delivered("a", "e", 1, "a-1");
    ledger.missed("a");
    ledger.delivered("a", "e", 1, "a-2");
    assertEquals(1, ledger.tally().pairConflicts());
  }

  @Test
  void aMessageDeliveredAfterALaterOneIsOutOfOrder() {
    send("a", "a-1", 1, 202);
    send("a", "a-2", 2, 202);
    ledger.delivered("a", "e", 1, "a-2");
    ledger.delivered("a", "e", 2, "a-1");
    Tally t = ledger.tally();
    assertEquals(2, t.delivered());
    assertEquals(1, t.outOfOrder());
  }

  @Test
  void aDeliveryOfAnotherChannelsMessageOrOfNoMessageIsUnexpected() {
    send("b", "b-1", 1, 202);
    ledger.delivered("a", "e", 1, "b-1");
    ledger.delivered("a", "e", 2, "garbage");
    Tally t = ledger.tally();
    assertEquals(2, t.unexpected());
    assertEquals(0, t.delivered());
    assertEquals(1, t.lost());
  }

  @Test
  void aMessageDeliveredButNeverAcknowledgedIsDeliveredNotLost() {
    ledger.sending("a", "a-1", 1);
    ledger.attempt("a-1");
    ledger.delivered("a", "e", 1, "a-1"); // delivered before the 202 came back
    ledger.noAnswer("a-1"); // and the 202 never came: the relay died
    Tally t = ledger.tally();
    assertEquals(0, t.acknowledged());
    assertEquals(1, t.delivered());
    assertEquals(1, t.deliveredUnacknowledged());
    assertEquals(0, t.lost());
  }

  @Test
  void refusalsAreCountedByStatus() {
    send("a", "a-1", 1, 503);
    ledger.attempt("a-1");
    ledger.answered("a-1", 202);
    send("b", "b-1", 1, 404);
    ledger.receiveRefused("503");
    ledger.receiveRefused("4503");
    ledger.receiveRefused("store_unavailable");
    Tally t = ledger.tally();
    assertEquals(Map.of(202, 1L, 404, 1L, 503, 1L), t.sendStatuses());
    assertEquals(1, t.send503());
    assertEquals(2, t.receive503());
    assertEquals(1, t.acknowledged());
    assertEquals(1, t.lost()); // a-1 acknowledged on its retry, never delivered
  }

  @Test
  void aMidIsOneSendAndAChannelMustBeKnown() {
    ledger.sending("a", "a-1", 1);
    assertThrows(IllegalArgumentException.class, () -> ledger.sending("a", "a-1", 2));
    assertThrows(IllegalArgumentException.class, () -> ledger.sending("c", "c-1", 1));
  }

  @Test
  void talliesPerTransport() {
    send("a", "a-1", 1, 202);
    send("b", "b-1", 1, 202);
    ledger.delivered("b", "f", 1, "b-1");
    Tally t = ledger.tally();
    assertEquals(1, t.perTransport().get("longpoll").sent());
    assertEquals(0, t.perTransport().get("longpoll").delivered());
    assertEquals(1, t.perTransport().get("sse").delivered());
    assertTrue(t.brokenPromises().get(0).startsWith("1 acknowledged, never delivered"));
  }
}
