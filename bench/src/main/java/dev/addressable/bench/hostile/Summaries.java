package dev.addressable.bench.hostile;

import java.util.Map;
import java.util.stream.Collectors;

/** The one-line summaries the attacks leave in the results, for the report's "attack" row. */
final class Summaries {

  private Summaries() {}

  /** "408×12, 400×1", or "none". */
  static String counts(Map<String, Long> byName) {
    if (byName.isEmpty()) {
      return "none";
    }
    return byName.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Counters named {@code name (kind)}, by kind: "dropped (reset)" → "reset". */
  static Map<String, Long> kinds(Tally t, String name) {
    Map<String, Long> out = new java.util.TreeMap<>();
    t.withPrefix(name + " (").forEach((k, v) -> out.put(k.endsWith(")") ? k.substring(0, k.length() - 1) : k, v));
    return out;
  }

  static long sum(Map<String, Long> byName) {
    return byName.values().stream().mapToLong(Long::longValue).sum();
  }

  /** For attacks that hold connections open: how many still were at the end and what the server did. */
  static String held(String what, long openAtEnd, Tally t) {
    StringBuilder b = new StringBuilder(what).append(": ").append(openAtEnd).append(" open at end");
    b.append("; server answered ").append(counts(t.withPrefix("status_")));
    Map<String, Long> dropped = kinds(t, "dropped");
    b.append("; server dropped ").append(sum(dropped));
    if (!dropped.isEmpty()) {
      b.append(" ").append(counts(dropped));
    }
    Map<String, Long> failed = kinds(t, "connect failed");
    if (!failed.isEmpty()) {
      b.append("; connects failed ").append(counts(failed));
    }
    return b.toString();
  }

  /** For attacks that send through a {@link Publisher}: accepted, refused and failed, with statuses. */
  static String sends(String what, Tally t) {
    StringBuilder b = new StringBuilder(what).append(": accepted ").append(t.get("accepted"))
        .append(" (").append(t.get("accepted bytes") / (1024 * 1024)).append(" MiB)")
        .append(", refused ").append(t.get("refused")).append(", failed ").append(t.get("failed"));
    Map<String, Long> statuses = t.withPrefix("status_");
    if (!statuses.isEmpty()) {
      b.append("; statuses ").append(counts(statuses));
      for (String status : statuses.keySet()) {
        String body = t.sample("answer " + status);
        if (body != null) {
          String said = body.length() > 120 ? body.substring(0, 120) + "…" : body;
          b.append("; first ").append(status).append(" said: ").append(said);
        }
      }
    }
    Map<String, Long> failed = kinds(t, "failed");
    if (!failed.isEmpty()) {
      b.append("; failures ").append(counts(failed));
    }
    if (t.get("unanswered at end") > 0) {
      b.append("; unanswered at end ").append(t.get("unanswered at end")).append(" (oldest waiting ")
          .append(String.format(java.util.Locale.ROOT, "%.1f", t.get("oldest unanswered at end ms") / 1000.0))
          .append(" s)");
    }
    return b.toString();
  }
}
