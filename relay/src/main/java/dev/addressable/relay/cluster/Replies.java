package dev.addressable.relay.cluster;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the store scripts' answers (Lettuce's MULTI: strings, longs, nested lists). */
final class Replies {

  private Replies() {}

  static String text(List<Object> reply, int i) {
    return String.valueOf(reply.get(i));
  }

  static long number(List<Object> reply, int i) {
    Object value = reply.get(i);
    return value instanceof Long l ? l : Long.parseLong(String.valueOf(value));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(List<Object> reply, int i) {
    Object value = reply.get(i);
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** A flat {@code HGETALL} answer of topic id to {@code "e.s"}, as a map of cursors in its order. */
  static Map<String, Cursor> topics(List<Object> flat) {
    if (flat.isEmpty()) {
      return Map.of();
    }
    Map<String, Cursor> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put(String.valueOf(flat.get(i)), Cursor.parse(String.valueOf(flat.get(i + 1))));
    }
    return out;
  }

  /** Entries {@code {seq, data, ts, expiry}} as messages of {@code topic} ({@code null}: the channel's own). */
  static List<Message> messages(List<Object> entries, String topic) {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<Message> out = new ArrayList<>(entries.size());
    for (Object each : entries) {
      @SuppressWarnings("unchecked")
      List<Object> e = (List<Object>) each;
      out.add(new Message(number(e, 0), new Message.Body(text(e, 1), number(e, 2), number(e, 3), topic)));
    }
    return out;
  }

  /** Merges sources by time, keeping each source's own order (as the memory store's feed does). */
  static List<Message> merge(List<List<Message>> sources) {
    List<List<Message>> nonEmpty = new ArrayList<>();
    int count = 0;
    for (List<Message> s : sources) {
      if (!s.isEmpty()) {
        nonEmpty.add(s);
        count += s.size();
      }
    }
    if (nonEmpty.isEmpty()) {
      return Collections.emptyList();
    }
    if (nonEmpty.size() == 1) {
      return nonEmpty.get(0);
    }
    List<Message> out = new ArrayList<>(count);
    int[] next = new int[nonEmpty.size()];
    while (out.size() < count) {
      int best = -1;
      for (int s = 0; s < nonEmpty.size(); s++) {
        List<Message> source = nonEmpty.get(s);
        if (next[s] < source.size()
            && (best < 0 || source.get(next[s]).ts() < nonEmpty.get(best).get(next[best]).ts())) {
          best = s;
        }
      }
      out.add(nonEmpty.get(best).get(next[best]++));
    }
    return out;
  }
}
