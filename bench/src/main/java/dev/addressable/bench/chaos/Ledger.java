package dev.addressable.bench.chaos;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The chaos run's bookkeeping: every send (by its {@code mid}), every answer, and everything the
 * receivers saw, in the order it was recorded; {@link #tally} turns that into the counts the run
 * prints. No I/O, no clock: a test feeds it a recorded sequence of events. Thread-safe (every
 * method is synchronized; the order of calls is the order of events).
 *
 * <p>What the receivers saw passes through the browser library's de-dup first ({@code _deliver}
 * in client-js): per channel, a message whose seq is at or below the last one delivered since the
 * last {@code missed} is skipped, as a tab would skip it. What survives is what a page would see:
 *
 * <ul>
 *   <li><b>delivered</b>: messages (by mid) a receiver got on their own channel;
 *   <li><b>duplicated</b>: a message delivered again on its channel under another seq, past the
 *       de-dup (a send stored twice);
 *   <li><b>lost</b>: acknowledged (202), never delivered, and its receiver was never told
 *       {@code missed} after the send began;
 *   <li><b>reported-missed</b>: acknowledged, never delivered, but its receiver got a
 *       {@code missed} after the send began (a loss the relay owned up to);
 *   <li><b>pair conflicts</b>: one (epoch, seq) pair seen with two different messages on a
 *       channel (a pair must never name two messages);
 *   <li><b>out of order</b>: a message delivered after a later one from the same sender (each
 *       channel's sends go one after the other);
 *   <li><b>unexpected</b>: a delivery carrying no mid of this run, or another channel's.
 * </ul>
 */
public final class Ledger {

  /** One send: the message's mid is also its text. */
  private static final class Message {
    final String channel;
    final long index;
    final long began;
    boolean acknowledged;
    boolean delivered;

    Message(String channel, long index, long began) {
      this.channel = channel;
      this.index = index;
      this.began = began;
    }
  }

  /** What one channel's receiver has seen. */
  private static final class Reader {
    final String transport;
    long lastSeq = -1; // the client's de-dup: reset by missed
    long lastIndex = -1;
    long lastMissed = -1; // the event number of the last missed
    final Set<String> delivered = new HashSet<>();
    final Map<String, String> pairs = new HashMap<>();

    Reader(String transport) {
      this.transport = transport;
    }
  }

  private final Map<String, Message> messages = new LinkedHashMap<>();
  private final Map<String, Reader> readers = new LinkedHashMap<>();
  private long events;
  private long attempts;
  private long noAnswer;
  private final Map<Integer, Long> sendStatuses = new TreeMap<>();
  private final Map<String, Long> receiveRefusals = new TreeMap<>();
  private long skippedByDedup;
  private long duplicated;
  private long pairConflicts;
  private long outOfOrder;
  private long unexpected;
  private long missedReports;

  /** A channel and the transport its receiver uses; before anything else about it. */
  public synchronized void channel(String channel, String transport) {
    readers.put(channel, new Reader(transport));
  }

  /** A send begins: {@code mid} (its text too) to {@code channel}, the sender's {@code index}-th to it. */
  public synchronized void sending(String channel, String mid, long index) {
    reader(channel);
    if (messages.containsKey(mid)) {
      throw new IllegalArgumentException("mid sent twice: " + mid);
    }
    messages.put(mid, new Message(channel, index, ++events));
  }

  /** One request of a send (the first or a retry with the same mid) is written. */
  public synchronized void attempt(String mid) {
    attempts++;
  }

  /** A request of a send was answered with {@code status} (202: stored). */
  public synchronized void answered(String mid, int status) {
    events++;
    sendStatuses.merge(status, 1L, Long::sum);
    if (status == 202) {
      message(mid).acknowledged = true;
    }
  }

  /** A request of a send got no answer (refused, reset, timed out): its outcome is unknown. */
  public synchronized void noAnswer(String mid) {
    events++;
    noAnswer++;
  }

  /**
   * A receiver got a message: on {@code channel}, at the pair ({@code epoch}, {@code seq}),
   * carrying {@code text}. Recorded as the wire gave it, before the client's de-dup.
   */
  public synchronized void delivered(String channel, String epoch, long seq, String text) {
    events++;
    Reader r = reader(channel);
    String pair = epoch + "." + seq;
    String before = r.pairs.putIfAbsent(pair, text);
    if (before != null && !before.equals(text)) {
      pairConflicts++;
    }
    if (r.lastSeq >= 0 && seq <= r.lastSeq) {
      skippedByDedup++;
      return;
    }
    r.lastSeq = seq;
    Message m = messages.get(text);
    if (m == null || !m.channel.equals(channel)) {
      unexpected++;
      return;
    }
    if (!r.delivered.add(text)) {
      duplicated++;
      return;
    }
    m.delivered = true;
    if (m.index < r.lastIndex) {
      outOfOrder++;
    }
    r.lastIndex = Math.max(r.lastIndex, m.index);
  }

  /** A receiver was told {@code missed}: messages before what follows may be gone. */
  public synchronized void missed(String channel) {
    Reader r = reader(channel);
    r.lastSeq = -1; // as the client does: after a missed, seqs may start again
    r.lastMissed = ++events;
    missedReports++;
  }

  /** A receiver's request or stream was refused: {@code why} is the status or error code, e.g. "503". */
  public synchronized void receiveRefused(String why) {
    events++;
    receiveRefusals.merge(why, 1L, Long::sum);
  }

  /** Acknowledged messages neither delivered nor reported missed yet: what a drain waits for. */
  public synchronized long outstanding() {
    long n = 0;
    for (Message m : messages.values()) {
      if (m.acknowledged && !m.delivered && !covered(m)) {
        n++;
      }
    }
    return n;
  }

  public synchronized Tally tally() {
    Map<String, Tally.PerTransport> perTransport = new TreeMap<>();
    long acknowledged = 0;
    long delivered = 0;
    long deliveredUnacknowledged = 0;
    long lost = 0;
    long reportedMissed = 0;
    for (Message m : messages.values()) {
      String transport = reader(m.channel).transport;
      Tally.PerTransport t = perTransport.computeIfAbsent(transport, k -> new Tally.PerTransport());
      t.sent++;
      if (m.acknowledged) {
        acknowledged++;
      }
      if (m.delivered) {
        delivered++;
        t.delivered++;
        if (!m.acknowledged) {
          deliveredUnacknowledged++;
        }
      } else if (m.acknowledged) {
        if (covered(m)) {
          reportedMissed++;
          t.reportedMissed++;
        } else {
          lost++;
          t.lost++;
        }
      }
    }
    return new Tally(messages.size(), attempts, acknowledged, delivered, deliveredUnacknowledged, duplicated, lost,
        reportedMissed, missedReports, pairConflicts, outOfOrder, unexpected, skippedByDedup, noAnswer,
        Collections.unmodifiableMap(new TreeMap<>(sendStatuses)), Collections.unmodifiableMap(new TreeMap<>(receiveRefusals)),
        Collections.unmodifiableMap(perTransport));
  }

  /** Whether the message's receiver was told missed after the send began. */
  private boolean covered(Message m) {
    return reader(m.channel).lastMissed > m.began;
  }

  private Message message(String mid) {
    Message m = messages.get(mid);
    if (m == null) {
      throw new IllegalArgumentException("no send with mid " + mid);
    }
    return m;
  }

  private Reader reader(String channel) {
    Reader r = readers.get(channel);
    if (r == null) {
      throw new IllegalArgumentException("unknown channel " + channel + ": call channel() first");
    }
    return r;
  }
}
