package dev.addressable.relay.hostile;

import dev.addressable.relay.testing.RelayClient.Connection;
import java.util.List;

/**
 * One area's rows of {@link MalformedCorpusTest}'s corpus, built from what the test prepared on
 * its relay. Each subclass adds its rows in a fixed order: some rows change what later rows find
 * (an event variable set, a channel unsubscribed).
 */
abstract class CorpusRows {

  /**
   * What the rows aim at.
   *
   * @param c the channel most rows aim at: it holds messages from seq 1 on and follows {@code topicId}
   * @param topicCursor the channel's cursor once it follows the topic: {@code <epoch>.<seq>~<topic>.<epoch>.<seq>}
   * @param publish the path (and query, if any) of the topic's publish URL, as {@code POST /topics} handed it out
   */
  record Fixture(Connection c, String epoch, String topicCursor, String topicId, String publish, String subscribeKey,
      String unsetEvent, String setEvent) {}

  final Connection c;
  final String epoch;
  final String topicCursor;
  final String topicId;
  final String publish;
  final String subscribeKey;
  final String unsetEvent;
  final String setEvent;

  CorpusRows(Fixture f) {
    this.c = f.c();
    this.epoch = f.epoch();
    this.topicCursor = f.topicCursor();
    this.topicId = f.topicId();
    this.publish = f.publish();
    this.subscribeKey = f.subscribeKey();
    this.unsetEvent = f.unsetEvent();
    this.setEvent = f.setEvent();
  }

  /** Adds this area's rows to {@code rows}. */
  abstract void addTo(List<Row> rows);

  /** {@link #topicCursor} with the topic's seq far past its log. */
  String topicAhead() {
    int dot = topicCursor.lastIndexOf('.');
    return topicCursor.substring(0, dot + 1) + (Long.parseLong(topicCursor.substring(dot + 1)) + 1000);
  }

  static void add(List<Row> rows, String name, byte[] request, Expect expect) {
    rows.add(new Row(name, request, false, expect));
  }

  static void addHalfClosed(List<Row> rows, String name, byte[] request, Expect expect) {
    rows.add(new Row(name, request, true, expect));
  }
}
