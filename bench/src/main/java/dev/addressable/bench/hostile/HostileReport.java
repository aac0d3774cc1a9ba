package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The side-by-side Markdown table of one hostile run: for each attack, the probes' p99 and worst
 * latencies, their failures, the server's memory, descriptors and CLOSE_WAIT sockets, CPU, and what
 * the attack did, for the relay and for Nchan. A figure a system has no record for is "n/a".
 *
 * <pre>
 * java -cp bench/target/bench.jar dev.addressable.bench.hostile.HostileReport \
 *     [--results bench/results/hostile.jsonl] [--run ID (default: the last run in the file)]
 * </pre>
 */
public final class HostileReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NA = "n/a";
  private static final List<String> SYSTEMS = List.of("addressable", "nchan");

  public static void main(String[] argv) throws IOException {
    Settings s = new Settings(argv);
    Path file = Path.of(s.text("results", "bench/results/hostile.jsonl"));
    List<JsonNode> all = read(file);
    if (all.isEmpty()) {
      throw new IOException("no results in " + file);
    }
    String run = s.text("run", all.get(all.size() - 1).path("run").asText());
    System.out.print(table(run, all));
  }

  static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** The table of {@code run}; for a system and attack recorded twice in it, the later record. */
  static String table(String run, List<JsonNode> records) {
    Map<String, Map<String, JsonNode>> byAttack = new LinkedHashMap<>();
    for (String a : Hostile.ATTACKS) {
      byAttack.put(a, new LinkedHashMap<>());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (JsonNode r : records) {
      if (r.path("run").asText().equals(run)) {
        byAttack.computeIfAbsent(r.path("attack").asText(), k -> new LinkedHashMap<>()).put(r.path("system").asText(), r);
        labels.put(r.path("system").asText(), r.path("label").asText());
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("Hostile traffic, run ").append(run).append(" (p99 and worst latency seen by a well-behaved probe during")
        .append(" each attack; health is GET /health on the relay, GET /nchan_status on Nchan)\n\n");
    b.append("| attack | figure | Addressable | Nchan |\n|---|---|---|---|\n");
    for (Map.Entry<String, Map<String, JsonNode>> e : byAttack.entrySet()) {
      Map<String, JsonNode> bySystem = e.getValue();
      if (bySystem.isEmpty()) {
        continue;
      }
      String title = title(e.getKey(), bySystem.values().iterator().next().path("params"));
      row(b, title, "health p99 / max (ms)", bySystem, r -> latency(r.path("health"), "timeout"));
      row(b, "", "send→poll p99 / max (ms)", bySystem, r -> latency(r.path("delivery"), "lost or late"));
      row(b, "", "probe failures", bySystem, HostileReport::failures);
      row(b, "", "server RSS start → end (max); PSS at end, MiB", bySystem, r -> {
        JsonNode sv = r.path("server");
        return mib(sv.path("start").path("rss_kib")) + " → " + mib(sv.path("end").path("rss_kib")) + " ("
            + mib(sv.path("rss_max_kib")) + "); PSS " + mib(sv.path("end").path("pss_kib"));
      });
      row(b, "", "server fds / CLOSE_WAIT, start → end", bySystem, r -> {
        JsonNode sv = r.path("server");
        return "fds " + count(sv.path("start").path("fds")) + " → " + count(sv.path("end").path("fds")) + "; CLOSE_WAIT "
            + count(sv.path("start").path("close_wait")) + " → " + count(sv.path("end").path("close_wait"));
      });
      row(b, "", "CPU: server / load generator / others (% of a core)", bySystem,
          r -> r.path("server").path("cpu_pct").asLong() + "% / " + r.path("generator_cpu_pct").asLong() + "% / "
              + r.path("other_cpu_pct").asLong() + "%");
      row(b, "", "what the attack did", bySystem, r -> r.path("attack_figures").path("summary").asText(NA));
    }
    b.append('\n');
    for (String system : SYSTEMS) {
      if (labels.containsKey(system) && !labels.get(system).isEmpty()) {
        b.append("- ").append(display(system)).append(": ").append(labels.get(system)).append('\n');
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String attack, String figure, Map<String, JsonNode> bySystem,
      Function<JsonNode, String> cell) {
    b.append("| ").append(attack).append(" | ").append(figure);
    for (String system : SYSTEMS) {
      JsonNode r = bySystem.get(system);
      String text;
      if (r == null) {
        text = NA;
      } else if (r.has("error")) {
        text = figure.equals("probe failures") ? "did not run: " + r.path("error").asText() : NA;
      } else {
        text = cell.apply(r);
      }
      b.append(" | ").append(escape(text));
    }
    b.append(" |\n");
  }

  static String title(String attack, JsonNode p) {
    return switch (attack) {
      case "baseline" -> "baseline (no attack)";
      case "slow-bodies" -> "slow bodies: " + p.path("slow-bodies").asText("?") + " POSTs, Content-Length "
          + p.path("body-length").asText("?") + ", body at 1 B/s";
      case "slowloris" -> "slowloris: " + p.path("slowloris").asText("?") + " unfinished heads, a line every "
          + p.path("header-every-ms").asText("?") + " ms";
      case "ghost-polls" -> "ghost polls: " + p.path("ghost-rate").asText("?") + "/s parked then closed (FIN/RST)";
      case "memory" -> "memory pressure: " + p.path("message-bytes").asLong() / 1024 + " KiB POSTs to "
          + p.path("memory-channels").asText("?") + " channels";
      case "slow-readers" -> "slow readers: " + p.path("readers").asText("?") + " SSE streams never read, "
          + p.path("reader-rate").asText("?") + "/s × " + p.path("reader-bytes").asLong() / 1024 + " KiB";
      default -> attack;
    };
  }

  /** "1.2 / 48"; the worst is marked "≥" when some attempt was given up at the timeout. */
  static String latency(JsonNode probe, String givenUpKind) {
    if (probe.isMissingNode()) {
      return NA;
    }
    if (probe.path("measured").asLong() == 0) {
      return "no answers";
    }
    String max = millis(probe.path("max_ms").asDouble());
    if (probe.path("failure_kinds").path(givenUpKind).asLong() > 0) {
      max = "≥ " + max;
    }
    return millis(probe.path("p99_ms").asDouble()) + " / " + max;
  }

  static String failures(JsonNode r) {
    List<String> parts = new ArrayList<>();
    kinds(parts, "health", r.path("health").path("failure_kinds"));
    kinds(parts, "send→poll", r.path("delivery").path("failure_kinds"));
    if (r.path("server").path("died").asBoolean()) {
      parts.add("SERVER DIED");
    }
    r.path("notes").forEach(n -> parts.add(n.asText()));
    return parts.isEmpty() ? "none" : String.join("; ", parts);
  }

  private static void kinds(List<String> parts, String probe, JsonNode kinds) {
    List<String> each = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = kinds.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> k = it.next();
      each.add(k.getKey() + " ×" + k.getValue().asLong());
    }
    if (!each.isEmpty()) {
      parts.add(probe + ": " + String.join(", ", each));
    }
  }

  /** Milliseconds for reading: "0.42", "12.3", "5,001". */
  static String millis(double ms) {
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%,d", Math.round(ms));
  }

  private static String mib(JsonNode kib) {
    return kib.isMissingNode() ? NA : String.format(Locale.ROOT, "%,d", Math.round(kib.asLong() / 1024.0));
  }

  private static String count(JsonNode n) {
    return n.isMissingNode() ? NA : String.format(Locale.ROOT, "%,d", n.asLong());
  }

  private static String display(String system) {
    return system.equals("addressable") ? "Addressable" : "Nchan";
  }

  static String escape(String cell) {
    return cell.replace("|", "\\|").replace("\n", " ");
  }

  private HostileReport() {}
}
