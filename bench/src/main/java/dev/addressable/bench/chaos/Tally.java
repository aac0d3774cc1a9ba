package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The counts of one chaos run, as {@link Ledger} defines them, and how they are printed and kept.
 *
 * @param sent messages (distinct mids), however many requests each took
 * @param attempts requests written, retries included
 * @param sendStatuses answers to those requests by status (202, 503, 404…)
 * @param receiveRefusals refused polls and streams by status or error code ("503", "4503", "store_unavailable"…)
 * @param perTransport sent, delivered, lost and reported-missed per receiving transport
 */
public record Tally(long sent, long attempts, long acknowledged, long delivered, long deliveredUnacknowledged,
    long duplicated, long lost, long reportedMissed, long missedReports, long pairConflicts, long outOfOrder,
    long unexpected, long skippedByDedup, long noAnswer, Map<Integer, Long> sendStatuses,
    Map<String, Long> receiveRefusals, Map<String, PerTransport> perTransport) {

  /** One transport's share. Mutable only while {@link Ledger#tally} fills it. */
  public static final class PerTransport {
    long sent;
    long delivered;
    long lost;
    long reportedMissed;

    public long sent() {
      return sent;
    }

    public long delivered() {
      return delivered;
    }

    public long lost() {
      return lost;
    }

    public long reportedMissed() {
      return reportedMissed;
    }
  }

  public long send503() {
    return sendStatuses.getOrDefault(503, 0L);
  }

  public long receive503() {
    return receiveRefusals.getOrDefault("503", 0L) + receiveRefusals.getOrDefault("4503", 0L);
  }

  /**
   * What CLUSTER.md §9 promises for nodes killed with {@code kill -9} and restarted, that this run
   * broke: no acknowledged send lost, no {@code missed}, nothing stored twice (retries carry a
   * mid), no pair naming two messages, order kept per sender, nothing delivered that was not sent.
   * Empty when every promise held.
   */
  public List<String> brokenPromises() {
    List<String> broken = new ArrayList<>();
    if (lost > 0) {
      broken.add(lost + " acknowledged, never delivered, never reported missed");
    }
    if (reportedMissed > 0 || missedReports > 0) {
      broken.add(missedReports + " missed reports (" + reportedMissed + " acknowledged messages behind them): a node kill must cost none");
    }
    if (duplicated > 0) {
      broken.add(duplicated + " delivered twice past the client's de-dup");
    }
    if (pairConflicts > 0) {
      broken.add(pairConflicts + " pairs naming two messages");
    }
    if (outOfOrder > 0) {
      broken.add(outOfOrder + " delivered out of their sender's order");
    }
    if (unexpected > 0) {
      broken.add(unexpected + " deliveries of no message sent to that channel");
    }
    return broken;
  }

  public void print(PrintStream out) {
    out.printf("sent             %9d   messages, one mid each, however many requests (%d requests)%n", sent, attempts);
    out.printf("acknowledged     %9d   answered 202%n", acknowledged);
    out.printf("delivered        %9d   got by their receiver, after the client's de-dup (%d of them never acknowledged: allowed)%n",
        delivered, deliveredUnacknowledged);
    out.printf("duplicated       %9d   delivered again under another seq, past the de-dup%n", duplicated);
    out.printf("lost             %9d   acknowledged, never delivered, never reported missed%n", lost);
    out.printf("reported-missed  %9d   acknowledged, never delivered, receiver told missed afterwards (%d missed reports)%n",
        reportedMissed, missedReports);
    out.printf("503s             %9d   to sends; %d to polls and streams%n", send503(), receive503());
    out.printf("also: %d requests without an answer (outcome unknown), %d redeliveries the de-dup skipped, "
        + "%d pair conflicts, %d out of order, %d unexpected%n", noAnswer, skippedByDedup, pairConflicts, outOfOrder, unexpected);
    out.printf("send answers by status: %s; receive refusals: %s%n", sendStatuses, receiveRefusals);
    perTransport.forEach((t, p) -> out.printf("  %-10s sent %d, delivered %d, lost %d, reported-missed %d%n", t, p.sent,
        p.delivered, p.lost, p.reportedMissed));
  }

  /** The counts as fields of {@code into} (a results line). */
  public void write(ObjectNode into) {
    into.put("sent", sent).put("attempts", attempts).put("acknowledged", acknowledged).put("delivered", delivered)
        .put("delivered_unacknowledged", deliveredUnacknowledged).put("duplicated", duplicated).put("lost", lost)
        .put("reported_missed", reportedMissed).put("missed_reports", missedReports).put("pair_conflicts", pairConflicts)
        .put("out_of_order", outOfOrder).put("unexpected", unexpected).put("skipped_by_dedup", skippedByDedup)
        .put("no_answer", noAnswer).put("send_503", send503()).put("receive_503", receive503());
    ObjectNode statuses = into.putObject("send_statuses");
    sendStatuses.forEach((k, v) -> statuses.put(Integer.toString(k), v));
    ObjectNode refusals = into.putObject("receive_refusals");
    receiveRefusals.forEach(refusals::put);
    ObjectNode transports = into.putObject("per_transport");
    perTransport.forEach((t, p) -> transports.putObject(t).put("sent", p.sent).put("delivered", p.delivered)
        .put("lost", p.lost).put("reported_missed", p.reportedMissed));
  }
}
