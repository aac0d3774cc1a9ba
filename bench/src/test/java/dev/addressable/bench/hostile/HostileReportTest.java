package dev.addressable.bench.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostileReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode record(String run, String system, String attack, String health, String summary)
      throws Exception {
    return JSON.readTree("{\"run\":\"" + run + "\",\"system\":\"" + system + "\",\"attack\":\"" + attack + "\","
        + "\"label\":\"" + system + " label\",\"params\":{\"slow-bodies\":\"200\",\"body-length\":\"60000\"},"
        + "\"health\":" + health + ","
        + "\"delivery\":{\"measured\":50,\"p99_ms\":4.44,\"max_ms\":5.1,\"failures\":0,\"failure_kinds\":{}},"
        + "\"server\":{\"start\":{\"rss_kib\":102400,\"pss_kib\":100000,\"fds\":17,\"close_wait\":0},"
        + "\"end\":{\"rss_kib\":204800,\"pss_kib\":200000,\"fds\":1669,\"close_wait\":805},\"rss_max_kib\":210000,"
        + "\"died\":false,\"cpu_pct\":52},\"generator_cpu_pct\":33,\"other_cpu_pct\":3,"
        + "\"attack_figures\":{\"summary\":\"" + summary + "\"}}");
  }

  private static final String CALM = "{\"measured\":100,\"p99_ms\":2.345,\"max_ms\":12.0,\"failures\":0,\"failure_kinds\":{}}";
  private static final String STALLED = "{\"measured\":100,\"p99_ms\":5067.2,\"max_ms\":5092.0,\"failures\":28,"
      + "\"failure_kinds\":{\"timeout\":28}}";

  @Test
  void putsBothSystemsSideBySidePerAttack() throws Exception {
    String table = HostileReport.table("r1", List.of(
        record("r1", "addressable", "slow-bodies", STALLED, "held 200 | open"),
        record("r1", "nchan", "slow-bodies", CALM, "held 200")));
    assertTrue(table.contains("| slow bodies: 200 POSTs, Content-Length 60000, body at 1 B/s | health p99 / max (ms) "
        + "| 5,067 / ≥ 5,092 | 2.3 / 12.0 |"), table);
    assertTrue(table.contains("| probe failures | health: timeout ×28 | none |"), table);
    assertTrue(table.contains("| server fds / CLOSE_WAIT, start → end | fds 17 → 1,669; CLOSE_WAIT 0 → 805 |"), table);
    assertTrue(table.contains("| server RSS start → end (max); PSS at end, MiB | 100 → 200 (205); PSS 195 |"), table);
    assertTrue(table.contains("| held 200 \\| open | held 200 |"), "pipes in a cell are escaped: " + table);
    assertTrue(table.contains("- Nchan: nchan label"), table);
  }

  @Test
  void saysNotApplicableForWhatASystemHasNoRecordOf() throws Exception {
    String table = HostileReport.table("r1", List.of(record("r1", "addressable", "slowloris", CALM, "x")));
    assertTrue(table.contains("| health p99 / max (ms) | 2.3 / 12.0 | n/a |"), table);
  }

  @Test
  void takesOnlyTheRunAskedForAndTheLaterOfTwoRecords() throws Exception {
    String table = HostileReport.table("r2", List.of(
        record("r1", "nchan", "baseline", STALLED, "old run"),
        record("r2", "nchan", "baseline", STALLED, "first try"),
        record("r2", "nchan", "baseline", CALM, "second try")));
    assertTrue(table.contains("second try"), table);
    assertFalse(table.contains("first try") || table.contains("old run"), table);
  }

  @Test
  void showsAnAttackThatCouldNotRun() throws Exception {
    JsonNode failed = JSON.readTree("{\"run\":\"r\",\"system\":\"nchan\",\"attack\":\"memory\",\"error\":\"refused\"}");
    String table = HostileReport.table("r", List.of(failed));
    assertTrue(table.contains("| probe failures | n/a | did not run: refused |"), table);
  }

  @Test
  void roundsMillisecondsForReading() {
    assertEquals("0.42", HostileReport.millis(0.4249));
    assertEquals("12.3", HostileReport.millis(12.34));
    assertEquals("5,001", HostileReport.millis(5000.6));
  }
}
