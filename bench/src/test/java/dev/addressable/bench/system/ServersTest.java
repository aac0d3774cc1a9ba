package dev.addressable.bench.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServersTest {

  @Test
  void oneServerSendsAndReceives() throws Exception {
    Servers s = Servers.parse("127.0.0.1:8080");
    assertEquals("127.0.0.1:8080", s.send());
    assertEquals(List.of("127.0.0.1:8080"), s.receive());
    assertEquals("127.0.0.1:8080", s.receiveFor(7));
  }

  @Test
  void sendsThroughTheFirstAndReceivesRoundRobinOnTheOthers() throws Exception {
    Servers s = Servers.parse("127.0.0.1:1, 127.0.0.1:2,127.0.0.1:3");
    assertEquals("127.0.0.1:1", s.send());
    assertEquals("127.0.0.1:2,127.0.0.1:3", s.receiveList());
    assertEquals("127.0.0.1:2", s.receiveFor(0));
    assertEquals("127.0.0.1:3", s.receiveFor(1));
    assertEquals("127.0.0.1:2", s.receiveFor(2));
  }

  @Test
  void oneServerNamedTwiceIsCountedOnce() throws Exception {
    Servers s = Servers.parse("127.0.0.1:9,127.0.0.1:9");
    assertEquals(List.of("127.0.0.1:9"), s.receive());
    assertEquals(List.of(URI.create("http://127.0.0.1:9")), s.receiveBases());
  }

  @Test
  void refusesAnythingButLoopback() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Servers.parse("127.0.0.1:1,10.0.0.1:2"));
    assertEquals("benchmarks only target loopback (127.0.0.0/8, ::1): 10.0.0.1:2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Servers.parse(" , "));
  }
}
