package dev.addressable.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one run of the results file into the comparison table (Markdown) and the chart (PNG).
 * Every number comes from the same run, so the ratios compare like with like. A run of
 * Addressable and Nchan alone gets the original two-system table; a run with more systems
 * ({@link Systems}: Addressable and Nchan over Redis too) gets one column per system and the
 * ratios {@link Systems#RATIOS} names ({@link MultiTable}).
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.report.Report
 *     [--results bench/results/results.jsonl] [--run ID (default: the last)] [--chart docs/benchmarks.png]
 *     [--table FILE.md]</pre>
 */
public final class Report {

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    Path results = Path.of(args.getOrDefault("results", "bench/results/results.jsonl"));
    String run = args.getOrDefault("run", Results.lastRun(results));
    List<JsonNode> records = Results.ofRun(results, run);
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no records of run " + run + " in " + results);
    }
    String table = table(run, records);
    if (args.containsKey("table")) {
      Files.writeString(Path.of(args.get("table")), table, StandardCharsets.UTF_8);
    } else {
      System.out.print(table);
    }
    if (args.containsKey("chart")) {
      Chart.write(run, rows(records), Systems.present(records), Path.of(args.get("chart")));
      System.err.println("chart written to " + args.get("chart"));
    }
  }

  /** One figure's values, system name → value (absent when the system has none). */
  record Row(Figure figure, Map<String, Double> values) {

    Double value(String system) {
      return values.get(system);
    }

    Double addressable() {
      return values.get(Systems.ADDRESSABLE);
    }

    Double nchan() {
      return values.get(Systems.NCHAN);
    }

    /** Addressable ÷ Nchan, or null. */
    Double ratio() {
      return ratio(Systems.ADDRESSABLE, Systems.NCHAN);
    }

    /** {@code numerator ÷ denominator}, or null when either is missing or the denominator is 0. */
    Double ratio(String numerator, String denominator) {
      Double a = values.get(numerator);
      Double b = values.get(denominator);
      return a == null || b == null || b == 0 ? null : a / b;
    }

    /** Addressable's verdict against Nchan's value. */
    String verdict() {
      return verdict(Systems.ADDRESSABLE, Systems.NCHAN);
    }

    /**
     * "met", "missed" or "" when there is no target or a value is missing: {@code system} against
     * the figure's target, which for "ratio" is {@code against}'s value.
     */
    String verdict(String system, String against) {
      String t = figure.target();
      Double a = values.get(system);
      if (t.isEmpty() || a == null) {
        return "";
      }
      if (t.startsWith("max:")) {
        return a <= Double.parseDouble(t.substring(4)) ? "met" : "missed";
      }
      Double n = against == null ? null : values.get(against);
      if (n == null) {
        return "";
      }
      boolean ok = figure.lowerIsBetter() ? a <= n : a >= n;
      return ok ? "met" : "missed";
    }
  }

  /** Every figure some system of the run has, with each system's value. */
  static List<Row> rows(List<JsonNode> records) {
    List<Systems.Column> present = Systems.present(records);
    List<Row> rows = new ArrayList<>();
    for (Figure f : Figure.ALL) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (Systems.Column s : present) {
        Double v = value(records, s.name(), f);
        if (v != null) {
          values.put(s.name(), v);
        }
      }
      if (!values.isEmpty()) {
        rows.add(new Row(f, values));
      }
    }
    return rows;
  }

  private static Double value(List<JsonNode> records, String system, Figure f) {
    for (JsonNode r : records) {
      if (r.path("system").asText().equals(system) && r.path("scenario").asText().equals(f.scenario())) {
        JsonNode v = r.path("figures").path(f.key());
        return v.isNumber() ? v.asDouble() : null;
      }
    }
    return null;
  }

  static JsonNode record(List<JsonNode> records, String system, String scenario) {
    for (JsonNode r : records) {
      if (r.path("system").asText().equals(system) && r.path("scenario").asText().equals(scenario)) {
        return r;
      }
    }
    return null;
  }

  /** The scenarios of the CPU table, in order. */
  static final String[] CPU_SCENARIOS = {"latency", "throughput", "memory10k", "memory19k", "fanout1k", "fanout10k",
      "memory100k", "latency100k", "topic100k"};

  static String table(String run, List<JsonNode> records) {
    List<Systems.Column> present = Systems.present(records);
    if (!Systems.onlyTheFirstTwo(present)) {
      return MultiTable.table(run, records, present);
    }
    StringBuilder out = new StringBuilder();
    out.append("Run ").append(run).append(" (ratio = Addressable ÷ Nchan).\n\n");
    out.append("| figure | Addressable | Nchan | ratio | better | target | met? |\n");
    out.append("|---|---:|---:|---:|---|---|---|\n");
    for (Row row : rows(records)) {
      Figure f = row.figure();
      Double ratio = row.ratio();
      out.append("| ").append(f.title()).append(f.unit().isEmpty() ? "" : " (" + f.unit() + ")")
          .append(" | ").append(number(row.addressable()))
          .append(" | ").append(number(row.nchan()))
          .append(" | ").append(ratio == null ? "–" : String.format(Locale.ROOT, "%.2f×", ratio))
          .append(" | ").append(f.lowerIsBetter() ? "lower" : "higher")
          .append(" | ").append(targetText(f))
          .append(" | ").append(row.verdict())
          .append(" |\n");
    }
    out.append("\nCPU during each measured phase, % of one core (the machine has 2): load generator / server / other processes:\n\n");
    out.append("| scenario | Addressable: generator / relay / other | Nchan: generator / nginx / other |\n|---|---|---|\n");
    for (String scenario : CPU_SCENARIOS) {
      JsonNode a = record(records, "addressable", scenario);
      JsonNode n = record(records, "nchan", scenario);
      if (a == null && n == null) {
        continue;
      }
      out.append("| ").append(scenario).append(" | ").append(cpu(a)).append(" | ").append(cpu(n)).append(" |\n");
    }
    out.append("\nConfigurations:\n\n");
    for (String system : new String[] {"addressable", "nchan"}) {
      for (JsonNode r : records) {
        if (r.path("system").asText().equals(system)) {
          out.append("- ").append(system).append(": ").append(r.path("label").asText()).append('\n');
          break;
        }
      }
    }
    return out.toString();
  }

  static String targetText(Figure f) {
    if (f.target().isEmpty()) {
      return "";
    }
    if (f.target().startsWith("max:")) {
      return "≤ " + f.target().substring(4);
    }
    return f.lowerIsBetter() ? "≤ Nchan" : "≥ Nchan";
  }

  /** "generator / server / other", or "generator / server / store / other" when the record has a store. */
  static String cpu(JsonNode r) {
    if (r == null || !r.has("generator_cpu_pct")) {
      return "–";
    }
    return r.path("generator_cpu_pct").asLong() + "% / " + r.path("server_cpu_pct").asLong() + "% / "
        + (r.has("store_cpu_pct") ? r.path("store_cpu_pct").asLong() + "% / " : "")
        + r.path("other_cpu_pct").asLong() + "%";
  }

  static String number(Double v) {
    if (v == null) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 1000 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private Report() {}
}
