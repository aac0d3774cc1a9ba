package dev.addressable.relay.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.AdminConfig;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

  private static final String TOKEN = "s3cr3t-admin-token_0123456789";
  private final AdminToken locked = AdminToken.of(new AdminConfig(TOKEN));

  @Test
  void openPagesAdmitEveryone() {
    AdminToken open = AdminToken.of(AdminConfig.OPEN);
    assertFalse(open.required());
    assertTrue(open.admits(null));
    assertTrue(open.admits("Bearer whatever"));
  }

  @Test
  void aLockedPageAdmitsOnlyTheBearerOfTheToken() {
    assertTrue(locked.required());
    assertTrue(locked.admits("Bearer " + TOKEN));
    assertTrue(locked.admits("bearer " + TOKEN), "the scheme is case-insensitive");
    assertFalse(locked.admits(null));
    assertFalse(locked.admits(""));
    assertFalse(locked.admits("Bearer "));
    assertFalse(locked.admits(TOKEN), "no scheme");
    assertFalse(locked.admits("Basic " + TOKEN));
    assertFalse(locked.admits("Bearer " + TOKEN + "x"));
    assertFalse(locked.admits("Bearer " + TOKEN.substring(1)));
  }

  @Test
  void garbageInTheHeaderIsRefusedNotThrown() {
    assertFalse(locked.admits("Bearer \uD800" + TOKEN), "a lone surrogate");
    assertFalse(locked.admits("Bearer \u0000\r\n" + TOKEN), "control bytes");
    assertFalse(locked.admits("Bearer " + "x".repeat(64 * 1024)), "a header far past any token");
    assertFalse(locked.admits("Bearer caf\u00e9 " + TOKEN), "non-ASCII");
  }

  @Test
  void neitherTheCheckNorTheConfigPrintsTheToken() {
    assertFalse(locked.toString().contains(TOKEN), locked.toString());
    AdminConfig config = new AdminConfig(TOKEN);
    assertFalse(config.toString().contains(TOKEN), config.toString());
    assertEquals("AdminConfig[open]", AdminConfig.OPEN.toString());
  }
}
