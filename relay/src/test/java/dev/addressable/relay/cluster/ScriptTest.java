package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scripts and node ids: what they are made of, checked without Redis. */
class ScriptTest {

  @Test
  void aScriptIsKnownByTheSha1OfItsSource() {
    Script echo = Script.resource("echo");
    assertEquals(40, echo.sha().length());
    assertEquals(Script.sha1(echo.source()), echo.sha());
    assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", Script.sha1(""));
    assertTrue(Incarnation.SCRIPT.source().contains("HSET"));
  }

  @Test
  void aMissingScriptFailsAtOnce() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Script.resource("nope"));
    assertTrue(e.getMessage().contains("nope.lua"), e.getMessage());
  }

  @Test
  void aNodeIdIsTheNameAndARandomSuffix() {
    NodeId a = NodeId.fresh("web-3");
    NodeId b = NodeId.fresh("web-3");
    assertTrue(a.value().matches("web-3-[A-Za-z0-9_-]{8}"), a.value());
    assertTrue(!a.equals(b));
    assertEquals("ar:n:" + a.value(), a.channel("ar:"));
    assertEquals("relay-" + a.value() + "-blk", a.clientName(RedisConnections.Role.BLOCKING));
    assertThrows(IllegalArgumentException.class, () -> new NodeId("web 3"));
  }

  @Test
  void infoFieldsAreReadLineByLine() {
    var fields = Incarnation.fields("# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n\r\n# Replication\r\nrole:master\r\n");
    assertEquals("abc", fields.get("run_id"));
    assertEquals("master", fields.get("role"));
  }
}
