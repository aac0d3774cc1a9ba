package dev.addressable.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void defaultsAreThreeRelaysOverRedisForFiveMinutes() {
    Settings s = Settings.parse(new String[0]);
    assertTrue(s.redis());
    assertEquals(3, s.relays());
    assertEquals(300, s.seconds());
    assertEquals(5, s.killMin());
    assertEquals(20, s.killMax());
  }

  @Test
  void readsRangesAndWords() {
    Settings s = Settings.parse(new String[] {"--kill-every", "3-8", "--down", "2", "--redis-conf",
        " --appendonly yes  --appendfsync always "});
    assertEquals(3, s.killMin());
    assertEquals(8, s.killMax());
    assertEquals(2, s.downMin());
    assertEquals(2, s.downMax());
    assertEquals(List.of("--appendonly", "yes", "--appendfsync", "always"), s.redisConf());
  }

  @Test
  void refusesWhatItCannotRun() {
    assertEquals("--store memory runs one relay (relays in memory share nothing): --relays 2",
        assertThrows(IllegalArgumentException.class,
            () -> Settings.parse(new String[] {"--store", "memory", "--relays", "2"})).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--kill-every", "9-3"}));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--nodes", "3"}));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--seconds"}));
  }

  @Test
  void aJsonpAnswerIsTheObjectPassedToTheCallback() throws Exception {
    assertEquals("{\"cursor\":\"e.1\",\"status\":200}", JsonpReceiver.unwrap("/**/chaos.cb({\"cursor\":\"e.1\",\"status\":200});"));
    assertEquals("abc", Tab.epoch("abc.12~t.x.3"));
  }
}
