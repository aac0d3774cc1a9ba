package dev.addressable.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison table of a run with more systems than Addressable and Nchan in memory: one value
 * column per system present, one ratio column per pair {@link Systems#ratios} finds in the run,
 * then whether lower or higher is better, the target, and each Addressable system's verdict
 * against it (judged against the Nchan system of the same store). The CPU table gains the store's
 * share for the systems that have one: generator / server / Redis / other.
 */
final class MultiTable {

  private MultiTable() {}

  static String table(String run, List<JsonNode> records, List<Systems.Column> present) {
    List<Systems.Ratio> ratios = Systems.ratios(present);
    List<String> judged = new ArrayList<>();
    for (Systems.Column s : present) {
      if (Systems.counterpart(s.name()) != null) {
        judged.add(s.name());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Run ").append(run).append(" (").append(present.size()).append(" systems");
    if (!ratios.isEmpty()) {
      out.append("; ratios: ").append(String.join(", ", ratios.stream().map(Systems.Ratio::title).toList()));
    }
    out.append(").\n\n| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Systems.Column s : present) {
      out.append(' ').append(s.title()).append(" |");
      rule.append("---:|");
    }
    for (Systems.Ratio r : ratios) {
      out.append(' ').append(r.title()).append(" |");
      rule.append("---:|");
    }
    out.append(" better | target | ").append(verdictTitle(present, judged)).append(" |\n");
    out.append(rule).append("---|---|---|\n");
    for (Report.Row row : Report.rows(records)) {
      Figure f = row.figure();
      out.append("| ").append(f.title()).append(f.unit().isEmpty() ? "" : " (" + f.unit() + ")").append(" |");
      for (Systems.Column s : present) {
        out.append(' ').append(Report.number(row.value(s.name()))).append(" |");
      }
      for (Systems.Ratio r : ratios) {
        Double ratio = row.ratio(r.numerator(), r.denominator());
        out.append(' ').append(ratio == null ? "–" : String.format(Locale.ROOT, "%.2f×", ratio)).append(" |");
      }
      List<String> verdicts = new ArrayList<>();
      for (String system : judged) {
        verdicts.add(row.verdict(system, Systems.counterpart(system)));
      }
      boolean none = verdicts.stream().allMatch(String::isEmpty);
      out.append(' ').append(f.lowerIsBetter() ? "lower" : "higher")
          .append(" | ").append(Report.targetText(f))
          .append(" | ").append(none ? "" : String.join(" / ", verdicts.stream().map(v -> v.isEmpty() ? "–" : v).toList()))
          .append(" |\n");
    }
    cpuTable(out, records, present);
    out.append("\nConfigurations:\n\n");
    for (Systems.Column s : present) {
      for (JsonNode r : records) {
        if (r.path("system").asText().equals(s.name())) {
          out.append("- ").append(s.name()).append(": ").append(r.path("label").asText()).append('\n');
          break;
        }
      }
    }
    return out.toString();
  }

  /** "met?", or which Addressable systems the verdicts are of when there are several, e.g. "met? (Addressable / Addressable over Redis)". */
  private static String verdictTitle(List<Systems.Column> present, List<String> judged) {
    if (judged.size() < 2) {
      return "met?";
    }
    List<String> titles = new ArrayList<>();
    for (Systems.Column s : present) {
      if (judged.contains(s.name())) {
        titles.add(s.title());
      }
    }
    return "met? (" + String.join(" / ", titles) + ")";
  }

  private static void cpuTable(StringBuilder out, List<JsonNode> records, List<Systems.Column> present) {
    out.append("\nCPU during each measured phase, % of one core (the machine has 2): load generator / server")
        .append(" [/ Redis] / other processes; a system's servers are summed, Redis is counted apart:\n\n| scenario |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Systems.Column s : present) {
      boolean store = hasStore(records, s.name());
      out.append(' ').append(s.title()).append(": generator / ").append(s.server()).append(store ? " / Redis" : "")
          .append(" / other |");
      rule.append("---|");
    }
    out.append('\n').append(rule).append('\n');
    for (String scenario : Report.CPU_SCENARIOS) {
      StringBuilder line = new StringBuilder("| ").append(scenario).append(" |");
      boolean any = false;
      for (Systems.Column s : present) {
        JsonNode r = Report.record(records, s.name(), scenario);
        any |= r != null;
        line.append(' ').append(Report.cpu(r)).append(" |");
      }
      if (any) {
        out.append(line).append('\n');
      }
    }
  }

  private static boolean hasStore(List<JsonNode> records, String system) {
    return records.stream().anyMatch(r -> r.path("system").asText().equals(system) && r.has("store_cpu_pct"));
  }
}
