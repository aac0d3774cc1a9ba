package dev.addressable.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of several runs of the same systems ({@code bench/run.sh --runs N}): per figure, each
 * system's median over the runs, and for each ratio the median of the runs' ratios (each taken
 * within its own run, so like is compared with like), their range, and in how many runs the
 * target was met. A figure with a target "in each run" is met only if every run met it. The
 * shared machine moves single runs a lot (Nchan's flood figure ranged over nearly 3× across
 * sessions), which is why the targets are judged on this table, not on one run.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.report.Medians --runs ID,ID,ID
 *     [--results bench/results/results.jsonl] [--table FILE.md]</pre>
 */
public final class Medians {

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    if (!args.containsKey("runs")) {
      throw new IllegalArgumentException("--runs ID,ID,… is required");
    }
    Path results = Path.of(args.getOrDefault("results", "bench/results/results.jsonl"));
    List<String> runs = Arrays.asList(args.get("runs").split(","));
    Map<String, List<JsonNode>> byRun = new LinkedHashMap<>();
    for (String run : runs) {
      List<JsonNode> records = Results.ofRun(results, run);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("no records of run " + run + " in " + results);
      }
      byRun.put(run, records);
    }
    String table = table(byRun);
    if (args.containsKey("table")) {
      Files.writeString(Path.of(args.get("table")), table, StandardCharsets.UTF_8);
    } else {
      System.out.print(table);
    }
  }

  /** The table of {@code byRun} (run id → its records), in the order given. */
  static String table(Map<String, List<JsonNode>> byRun) {
    List<JsonNode> all = byRun.values().stream().flatMap(List::stream).toList();
    List<Systems.Column> present = Systems.present(all);
    List<Systems.Ratio> ratios = Systems.ratios(present);
    List<Map<Figure, Report.Row>> perRun = new ArrayList<>();
    for (List<JsonNode> records : byRun.values()) {
      Map<Figure, Report.Row> rows = new LinkedHashMap<>();
      Report.rows(records).forEach(row -> rows.put(row.figure(), row));
      perRun.add(rows);
    }
    StringBuilder out = new StringBuilder();
    out.append("Runs ").append(String.join(", ", byRun.keySet())).append(": each system's median over the ")
        .append(byRun.size()).append(" runs; each ratio's median over the runs (every ratio taken within one run), ")
        .append("its range, and the runs that met the target.\n\n| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Systems.Column s : present) {
      out.append(' ').append(s.title()).append(" |");
      rule.append("---:|");
    }
    for (Systems.Ratio r : ratios) {
      out.append(' ').append(r.title()).append(" (median) | range |");
      rule.append("---:|---|");
    }
    out.append(" better | target | met (runs) |\n").append(rule).append("---|---|---|\n");
    for (Figure f : Figure.ALL) {
      List<Report.Row> rows = perRun.stream().map(m -> m.get(f)).filter(r -> r != null).toList();
      if (rows.isEmpty()) {
        continue;
      }
      out.append("| ").append(f.title()).append(f.unit().isEmpty() ? "" : " (" + f.unit() + ")").append(" |");
      for (Systems.Column s : present) {
        out.append(' ').append(Report.number(median(rows.stream().map(r -> r.value(s.name())).toList()))).append(" |");
      }
      for (Systems.Ratio r : ratios) {
        List<Double> each = rows.stream().map(row -> row.ratio(r.numerator(), r.denominator())).toList();
        out.append(' ').append(times(median(each))).append(" | ").append(range(each)).append(" |");
      }
      out.append(' ').append(f.lowerIsBetter() ? "lower" : "higher").append(" | ").append(Report.targetText(f))
          .append(" | ").append(met(rows)).append(" |\n");
    }
    return out.toString();
  }

  /** "k of n": the runs in which Addressable met the figure's target; empty without a target. */
  private static String met(List<Report.Row> rows) {
    int judged = 0;
    int met = 0;
    for (Report.Row row : rows) {
      String verdict = row.verdict();
      if (!verdict.isEmpty()) {
        judged++;
        met += verdict.equals("met") ? 1 : 0;
      }
    }
    return judged == 0 ? "" : met + " of " + judged;
  }

  /** The median of the values present (the mean of the middle two for an even count), or null. */
  static Double median(List<Double> values) {
    double[] v = values.stream().filter(x -> x != null).mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return null;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  private static String range(List<Double> values) {
    double[] v = values.stream().filter(x -> x != null).mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f–%.2f", v[0], v[v.length - 1]);
  }

  private static String times(Double ratio) {
    return ratio == null ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
  }

  private Medians() {}
}
