package dev.addressable.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The systems a run may hold, in the order the table shows them, and the ratios it prints
 * between them. Each Addressable system is compared with the Nchan system of the same store
 * (in memory with {@code nchan}, over Redis with {@code nchan-redis}), and Addressable over Redis
 * with Addressable in memory (what cluster mode costs). A ratio appears only when both of its
 * systems are in the run; a system the list does not know is shown after these, without ratios.
 */
final class Systems {

  static final String ADDRESSABLE = "addressable";
  static final String NCHAN = "nchan";

  /** One system: its name in the results, its column title, what its server is called in the CPU table. */
  record Column(String name, String title, String server) {}

  /**
   * One ratio column: {@code numerator ÷ denominator}, left out when the run has {@code unless}
   * (null: never left out).
   */
  record Ratio(String numerator, String denominator, String title, String unless) {

    Ratio(String numerator, String denominator, String title) {
      this(numerator, denominator, title, null);
    }
  }

  static final List<Column> KNOWN = List.of(
      new Column(ADDRESSABLE, "Addressable", "relay"),
      new Column("addressable-redis", "Addressable over Redis", "relays"),
      new Column(NCHAN, "Nchan", "nginx"),
      new Column("nchan-redis", "Nchan over Redis", "nginx"));

  static final List<Ratio> RATIOS = List.of(
      new Ratio(ADDRESSABLE, NCHAN, "Addressable ÷ Nchan"),
      new Ratio("addressable-redis", "nchan-redis", "over Redis: Addressable ÷ Nchan"),
      // The one-box runs (--scale) have no Addressable in memory: their relays share one Redis.
      new Ratio("addressable-redis", NCHAN, "Addressable over Redis ÷ Nchan in memory", ADDRESSABLE),
      new Ratio("addressable-redis", ADDRESSABLE, "Addressable: Redis ÷ memory"));

  private Systems() {}

  /** The systems with a record in {@code records}: the known ones in their order, then the others as found. */
  static List<Column> present(List<JsonNode> records) {
    List<String> names = new ArrayList<>();
    for (JsonNode r : records) {
      String name = r.path("system").asText();
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    List<Column> out = new ArrayList<>();
    for (Column s : KNOWN) {
      if (names.remove(s.name())) {
        out.add(s);
      }
    }
    for (String other : names) {
      out.add(new Column(other, other, "server"));
    }
    return out;
  }

  /** The ratio columns whose two systems are both among {@code present}. */
  static List<Ratio> ratios(List<Column> present) {
    List<String> names = present.stream().map(Column::name).toList();
    return RATIOS.stream().filter(r -> names.contains(r.numerator()) && names.contains(r.denominator())
        && (r.unless() == null || !names.contains(r.unless()))).toList();
  }

  /** Whether a run holds no more than today's two systems, so the original two-column table applies. */
  static boolean onlyTheFirstTwo(List<Column> present) {
    return present.stream().allMatch(s -> s.name().equals(ADDRESSABLE) || s.name().equals(NCHAN));
  }

  /** The Nchan system an Addressable system's targets are judged against, or null. */
  static String counterpart(String addressable) {
    return switch (addressable) {
      case ADDRESSABLE -> NCHAN;
      case "addressable-redis" -> "nchan-redis";
      default -> null;
    };
  }
}
