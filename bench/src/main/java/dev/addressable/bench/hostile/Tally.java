package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Named counters an attack or probe keeps (connections opened, answers by status, …) plus the first
 * sample of a few notable things (an error body, an exception). Safe from any thread: the event
 * loops add, the main thread reads for progress lines and the results.
 */
final class Tally {

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<String>> samples = new ConcurrentHashMap<>();

  void add(String name) {
    add(name, 1);
  }

  void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
  }

  long get(String name) {
    AtomicLong n = counts.get(name);
    return n == null ? 0 : n.get();
  }

  /** Keeps {@code text} (cut to 200 chars, one line) as the sample of {@code name} unless one is kept. */
  void sample(String name, String text) {
    String line = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    samples.computeIfAbsent(name, k -> new AtomicReference<>())
        .compareAndSet(null, line.length() > 200 ? line.substring(0, 200) + "…" : line);
  }

  String sample(String name) {
    AtomicReference<String> s = samples.get(name);
    return s == null ? null : s.get();
  }

  /** The counters whose names start with {@code prefix}, by the rest of their name, sorted. */
  Map<String, Long> withPrefix(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v.get());
      }
    });
    return out;
  }

  /** Counts an answer by its status, as {@code status_<code>}. */
  void status(int code) {
    add("status_" + code);
  }

  /** Every counter under {@code counts} and every sample under {@code samples}, sorted by name. */
  void writeTo(ObjectNode node) {
    ObjectNode c = node.putObject("counts");
    new TreeMap<>(counts).forEach((k, v) -> c.put(k, v.get()));
    if (!samples.isEmpty()) {
      ObjectNode s = node.putObject("samples");
      new TreeMap<>(samples).forEach((k, v) -> s.put(k, v.get()));
    }
  }
}
