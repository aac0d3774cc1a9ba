package dev.addressable.bench.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpTableTest {

  // Shaped as /proc/net/tcp and /proc/net/tcp6 print them (trailing columns cut).
  private static final String TCP = String.join("\n",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:4A98 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001",
      "   1: 0100007F:4A98 0200007F:9C40 08 00000000:00000001 00:00000000 00000000     0        0 1002",
      "   2: 0100007F:4A98 0200007F:9C41 01 00001000:00000000 00:00000000 00000000     0        0 1003",
      "   3: 0200007F:9C41 0100007F:4A98 01 00000000:00002000 00:00000000 00000000     0        0 1004",
      "   4: 0100007F:1F90 0300007F:9C42 08 00000000:00000000 00:00000000 00000000     0        0 1005",
      "");
  private static final String TCP6 = String.join("\n",
      "  sl  local_address                         remote_address                        st tx_queue rx_queue",
      "   0: 0000000000000000FFFF00000100007F:4A98 0000000000000000FFFF00000300007F:A000 08 00000000:00000000",
      "   1: garbage line",
      "");

  @Test
  void parsesPortsStatesAndQueues() {
    List<TcpTable.Row> rows = TcpTable.parse(TCP);
    assertEquals(5, rows.size());
    TcpTable.Row r = rows.get(2);
    assertEquals(0x4A98, r.localPort());
    assertEquals(0x9C41, r.remotePort());
    assertEquals(TcpTable.ESTABLISHED, r.state());
    assertEquals(0x1000, r.txQueue());
    assertEquals(0x2000, rows.get(3).rxQueue());
  }

  @Test
  void countsCloseWaitOnTheServersPortOnlyAcrossBothTables() {
    TcpTable table = new TcpTable(concat(TcpTable.parse(TCP), TcpTable.parse(TCP6)));
    assertEquals(2, table.serverSide(0x4A98, TcpTable.CLOSE_WAIT)); // one IPv4, one IPv4-mapped IPv6
    assertEquals(1, table.serverSide(0x4A98, TcpTable.ESTABLISHED));
    assertEquals(1, table.serverSide(0x1F90, TcpTable.CLOSE_WAIT));
    assertEquals(0, table.serverSide(0x1F91, TcpTable.CLOSE_WAIT));
  }

  @Test
  void writesAnIpv4AddressAsTheTableDoes() throws Exception {
    assertEquals("0200007F", TcpTable.hex(InetAddress.getByName("127.0.0.2")));
    assertEquals("FE00007F", TcpTable.hex(InetAddress.getByName("127.0.0.254")));
    assertEquals(true, "0000000000000000FFFF00000300007F".endsWith(TcpTable.hex(InetAddress.getByName("127.0.0.3"))));
  }

  private static List<TcpTable.Row> concat(List<TcpTable.Row> a, List<TcpTable.Row> b) {
    List<TcpTable.Row> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
