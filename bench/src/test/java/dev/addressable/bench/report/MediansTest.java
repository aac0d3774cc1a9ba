package dev.addressable.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediansTest {

  private static JsonNode record(String run, String system, String scenario, String figures) throws Exception {
    return Results.JSON.readTree("{\"run\":\"" + run + "\",\"system\":\"" + system + "\",\"scenario\":\"" + scenario
        + "\",\"figures\":" + figures + "}");
  }

  private static List<JsonNode> throughput(String run, int addressable, int nchan) throws Exception {
    return List.of(record(run, "addressable", "throughput", "{\"delivered_per_s\":" + addressable + "}"),
        record(run, "nchan", "throughput", "{\"delivered_per_s\":" + nchan + "}"));
  }

  @Test
  void eachSystemsMedianAndTheMedianOfTheRatiosTakenWithinEachRun() throws Exception {
    Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
    runs.put("r1", throughput("r1", 30_000, 20_000)); // 1.50×
    runs.put("r2", throughput("r2", 27_000, 30_000)); // 0.90×
    runs.put("r3", throughput("r3", 33_000, 22_000)); // 1.50×
    String table = Medians.table(runs);
    assertTrue(table.startsWith("Runs r1, r2, r3: "), table);
    assertTrue(table.contains("| throughput, 2k parked: delivered (msgs/s) | 30,000 | 22,000 | 1.50× | 0.90–1.50 | higher"
        + " | ≥ Nchan | 2 of 3 |"), table);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndMissingValuesAreLeftOut() {
    assertEquals(2.5, Medians.median(Arrays.asList(4.0, 1.0, null, 2.0, 3.0)));
    assertEquals(3.0, Medians.median(Arrays.asList(3.0)));
    assertNull(Medians.median(Arrays.asList((Double) null)));
  }
}
