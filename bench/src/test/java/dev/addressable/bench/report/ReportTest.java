package dev.addressable.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static JsonNode record(String system, String scenario, String figures) throws Exception {
    return Results.JSON.readTree("{\"run\":\"r\",\"system\":\"" + system + "\",\"scenario\":\"" + scenario
        + "\",\"figures\":" + figures + ",\"generator_cpu_pct\":40,\"server_cpu_pct\":90,\"other_cpu_pct\":3}");
  }

  @Test
  void tableHasRatiosAndVerdictsFromTheSameRun() throws Exception {
    List<JsonNode> records = List.of(
        record("addressable", "throughput", "{\"delivered_per_s\":30000}"),
        record("nchan", "throughput", "{\"delivered_per_s\":20000}"),
        record("addressable", "memory10k", "{\"kb_per_poll\":14.5}"),
        record("nchan", "memory10k", "{\"kb_per_poll\":12.1}"));
    String table = Report.table("r", records);
    assertTrue(table.contains("| throughput, 2k parked: delivered (msgs/s) | 30,000 | 20,000 | 1.50× | higher | ≥ Nchan | met |"), table);
    assertTrue(table.contains("| memory per parked poll, 10k (RSS) (kB) | 14.5 | 12.1 | 1.20× | lower | ≤ 12 | missed |"), table);
    assertTrue(table.contains("| throughput | 40% / 90% / 3% | 40% / 90% / 3% |"), table);
  }

  private static JsonNode storeRecord(String system, String scenario, String figures) throws Exception {
    return Results.JSON.readTree("{\"run\":\"r\",\"system\":\"" + system + "\",\"scenario\":\"" + scenario
        + "\",\"label\":\"" + system + " label\",\"figures\":" + figures
        + ",\"generator_cpu_pct\":40,\"server_cpu_pct\":90,\"other_cpu_pct\":3,\"store_cpu_pct\":12}");
  }

  @Test
  void aRunOfTheTwoFirstSystemsKeepsTheOriginalTable() throws Exception {
    String table = Report.table("r", List.of(record("addressable", "latency", "{\"p99_ms\":2}")));
    assertTrue(table.startsWith("Run r (ratio = Addressable ÷ Nchan).\n\n"
        + "| figure | Addressable | Nchan | ratio | better | target | met? |\n|---|---:|---:|---:|---|---|---|\n"
        + "| latency p99 (ms) | 2 | – | – | lower | ≤ Nchan |  |\n"), table);
  }

  @Test
  void aOneBoxRunComparesAddressableOverRedisWithNchanInMemoryToo() throws Exception {
    List<JsonNode> records = List.of(
        record("nchan", "memory100k", "{\"kb_per_poll\":13}"),
        storeRecord("nchan-redis", "memory100k", "{\"kb_per_poll\":14}"),
        storeRecord("addressable-redis", "memory100k", "{\"kb_per_poll\":6.5}"));
    String table = Report.table("r", records);
    assertTrue(table.startsWith("Run r (3 systems; ratios: over Redis: Addressable ÷ Nchan, "
        + "Addressable over Redis ÷ Nchan in memory).\n"), table);
    assertTrue(table.contains("| one box, 100k parked: memory per poll, every process (RSS) (kB) | 6.50 | 13 | 14 "
        + "| 0.46× | 0.50× | lower | ≤ Nchan | met |"), table);
  }

  @Test
  void aRunWithRedisSystemsHasAColumnPerSystemAndTheRatioOfEachPair() throws Exception {
    List<JsonNode> records = List.of(
        record("nchan", "throughput", "{\"delivered_per_s\":20000}"),
        record("addressable", "throughput", "{\"delivered_per_s\":30000}"),
        storeRecord("nchan-redis", "throughput", "{\"delivered_per_s\":8000}"),
        storeRecord("addressable-redis", "throughput", "{\"delivered_per_s\":6000}"));
    String table = Report.table("r", records);
    assertTrue(table.startsWith("Run r (4 systems; ratios: Addressable ÷ Nchan, over Redis: Addressable ÷ Nchan, "
        + "Addressable: Redis ÷ memory).\n\n"
        + "| figure | Addressable | Addressable over Redis | Nchan | Nchan over Redis | Addressable ÷ Nchan "
        + "| over Redis: Addressable ÷ Nchan | Addressable: Redis ÷ memory | better | target "
        + "| met? (Addressable / Addressable over Redis) |\n"), table);
    assertTrue(table.contains("| throughput, 2k parked: delivered (msgs/s) | 30,000 | 6,000 | 20,000 | 8,000 "
        + "| 1.50× | 0.75× | 0.20× | higher | ≥ Nchan | met / missed |"), table);
    assertTrue(table.contains("| Addressable: generator / relay / other | Addressable over Redis: generator / relays / Redis / other "
        + "| Nchan: generator / nginx / other | Nchan over Redis: generator / nginx / Redis / other |"), table);
    assertTrue(table.contains("| throughput | 40% / 90% / 3% | 40% / 90% / 12% / 3% | 40% / 90% / 3% | 40% / 90% / 12% / 3% |"), table);
    assertTrue(table.contains("- addressable-redis: addressable-redis label\n- nchan: \n- nchan-redis: nchan-redis label\n"), table);
  }

  @Test
  void aRatioNeedsBothOfItsSystems() throws Exception {
    String table = Report.table("r", List.of(
        record("addressable", "throughput", "{\"delivered_per_s\":30000}"),
        storeRecord("nchan-redis", "throughput", "{\"delivered_per_s\":8000}")));
    assertTrue(table.startsWith("Run r (2 systems).\n\n| figure | Addressable | Nchan over Redis | better | target | met? |\n"), table);
    // Addressable is judged against Nchan in memory, which this run does not have.
    assertTrue(table.contains("| throughput, 2k parked: delivered (msgs/s) | 30,000 | 8,000 | higher | ≥ Nchan |  |"), table);
  }

  @Test
  void numbersAreRoundedForReading() {
    assertEquals("0.21", Report.number(0.2149));
    assertEquals("12.3", Report.number(12.34));
    assertEquals("19,500", Report.number(19500.4));
    assertEquals("0", Report.number(0.0));
  }
}
