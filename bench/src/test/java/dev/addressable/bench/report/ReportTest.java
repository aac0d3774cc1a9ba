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

  @Test
  void numbersAreRoundedForReading() {
    assertEquals("0.21", Report.number(0.2149));
    assertEquals("12.3", Report.number(12.34));
    assertEquals("19,500", Report.number(19500.4));
    assertEquals("0", Report.number(0.0));
  }
}
