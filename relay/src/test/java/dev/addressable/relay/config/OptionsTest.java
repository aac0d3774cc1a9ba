package dev.addressable.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void defaultsMatchTheDocumentedOnes() {
    RelayConfig c = RelayConfig.defaults();
    assertEquals(8080, c.server().port());
    assertEquals(1000, c.inbox().maxMessages());
    assertEquals(1 << 20, c.inbox().maxBytes());
    assertEquals(Duration.ofSeconds(120), c.inbox().maxAge());
    assertEquals(Duration.ofMinutes(10), c.inbox().idleExpiry());
    assertEquals(Duration.ofSeconds(25), c.poll().defaultTimeout());
    assertEquals(Duration.ofSeconds(60), c.poll().maxTimeout());
    assertEquals(65536, c.inbox().maxMessageBytes());
  }

  @Test
  void flagsWinOverEnvironment() {
    RelayConfig c = Options.parse(new String[] {"--port", "9000", "--inbox-age=30"},
        Map.of("ADDRESSABLE_PORT", "7000", "ADDRESSABLE_INBOX_MESSAGES", "50"));
    assertEquals(9000, c.server().port());
    assertEquals(50, c.inbox().maxMessages());
    assertEquals(Duration.ofSeconds(30), c.inbox().maxAge());
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--port", "http"}, Map.of()));
    assertTrue(e.getMessage().contains("--port") && e.getMessage().contains("http"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--inbox-messages", "0"}, Map.of()));
    assertTrue(e.getMessage().contains("between 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--nope", "1"}, Map.of()));
    assertTrue(e.getMessage().contains("--nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--port"}, Map.of()));
  }

  @Test
  void selectorsDefaultToOnePerCoreAndMayBeSet() {
    ServerConfig byDefault = RelayConfig.defaults().server();
    assertEquals(0, byDefault.selectors());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), byDefault.selectorThreads());
    ServerConfig one = Options.parse(new String[] {"--selectors", "1"}, Map.of()).server();
    assertEquals(1, one.selectorThreads());
    assertEquals(3, Options.parse(new String[0], Map.of("ADDRESSABLE_SELECTORS", "3")).server().selectorThreads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--selectors", "-1"}, Map.of()));
    assertTrue(e.getMessage().contains("--selectors") && e.getMessage().contains("between 0"), e.getMessage());
  }

  @Test
  void reusePortIsOffByDefaultAndTheBareFlagTurnsItOn() {
    assertEquals(false, RelayConfig.defaults().server().reusePort());
    assertEquals(true, Options.parse(new String[] {"--reuse-port"}, Map.of()).server().reusePort());
    ServerConfig bareThenMore = Options.parse(new String[] {"--reuse-port", "--port", "9000"}, Map.of()).server();
    assertEquals(true, bareThenMore.reusePort());
    assertEquals(9000, bareThenMore.port());
    assertEquals(false, Options.parse(new String[] {"--reuse-port", "false"}, Map.of()).server().reusePort());
    assertEquals(true, Options.parse(new String[] {"--reuse-port=TRUE"}, Map.of()).server().reusePort());
    assertEquals(true, Options.parse(new String[0], Map.of("ADDRESSABLE_REUSE_PORT", "true")).server().reusePort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--reuse-port", "yes"}, Map.of()));
    assertTrue(e.getMessage().contains("--reuse-port must be true or false: yes"), e.getMessage());
  }

  @Test
  void maxPollsPerClientDefaultsToFourAndZeroTurnsTheCapOff() {
    assertEquals(4, RelayConfig.defaults().poll().maxPerClient());
    assertEquals(0, Options.parse(new String[] {"--max-polls-per-client", "0"}, Map.of()).poll().maxPerClient());
    assertEquals(12, Options.parse(new String[] {"--max-polls-per-client=12"}, Map.of()).poll().maxPerClient());
    assertEquals(6, Options.parse(new String[0], Map.of("ADDRESSABLE_MAX_POLLS_PER_CLIENT", " 6 ")).poll().maxPerClient());
    assertEquals(1_000_000,
        Options.parse(new String[] {"--max-polls-per-client", "1000000"}, Map.of()).poll().maxPerClient());
  }

  @Test
  void hostileMaxPollsPerClientValuesAreRefusedWithTheOptionAndTheValue() {
    Map<String, String> expected = Map.of(
        "-1", "--max-polls-per-client must be between 0 and 1000000: -1",
        "1000001", "--max-polls-per-client must be between 0 and 1000000: 1000001",
        "99999999999999999999", "--max-polls-per-client must be a whole number: 99999999999999999999",
        "four", "--max-polls-per-client must be a whole number: four",
        "4.5", "--max-polls-per-client must be a whole number: 4.5",
        "0x10", "--max-polls-per-client must be a whole number: 0x10",
        "", "--max-polls-per-client must be a whole number: ");
    expected.forEach((value, message) -> {
      IllegalArgumentException byFlag = assertThrows(IllegalArgumentException.class,
          () -> Options.parse(new String[] {"--max-polls-per-client", value}, Map.of()), value);
      assertEquals(message, byFlag.getMessage());
      IllegalArgumentException byEnv = assertThrows(IllegalArgumentException.class,
          () -> Options.parse(new String[0], Map.of("ADDRESSABLE_MAX_POLLS_PER_CLIENT", value)), value);
      assertEquals(message, byEnv.getMessage());
    });
    assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--max-polls-per-client"}, Map.of()));
  }

  @Test
  void inboxMustHoldAtLeastOneLargestMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--inbox-bytes", "2048", "--max-message-bytes", "4096"}, Map.of()));
    assertTrue(e.getMessage().contains("--inbox-bytes"), e.getMessage());
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariableAndDefault() {
    String help = Options.help();
    for (Option option : Options.ALL) {
      assertTrue(help.contains(option.flag()), option.flag());
      assertTrue(help.contains(option.env()), option.env());
    }
    assertTrue(help.contains("ADDRESSABLE_DATA_DIR") && help.contains("./data"));
  }

  @Test
  void theAdminTokenIsOffByDefaultAndSetByFlagOrEnvironment() {
    assertEquals(AdminConfig.OPEN, RelayConfig.defaults().admin());
    String token = "0123456789abcdef-_.~+/=";
    AdminConfig byFlag = Options.parse(new String[] {"--admin-token", token}, Map.of()).admin();
    assertTrue(byFlag.locked());
    assertEquals(token, byFlag.token());
    assertEquals(token, Options.parse(new String[0], Map.of("ADDRESSABLE_ADMIN_TOKEN", token)).admin().token());
  }

  @Test
  void aBadAdminTokenIsRefusedWithoutShowingIt() {
    for (String bad : new String[] {"short-secret", "has spaces in the middle", "quote\"in-the-token-1234", "=padding-first-123"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Options.parse(new String[] {"--admin-token", bad}, Map.of()), bad);
      assertTrue(e.getMessage().contains("--admin-token") && e.getMessage().contains(bad.length() + " characters"),
          e.getMessage());
      assertTrue(!e.getMessage().contains(bad), "the message shows the token: " + e.getMessage());
    }
  }

  @Test
  void helpListsTheAdminToken() {
    assertTrue(Options.help().contains("--admin-token VALUE"), Options.help());
    assertTrue(Options.help().contains("ADDRESSABLE_ADMIN_TOKEN"), Options.help());
  }
}
