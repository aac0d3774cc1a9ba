package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.send.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client-wide send's answer, written straight as UTF-8, is the protocol's JSON. */
class SendEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String written(Delivery delivery) {
    Answer.Utf8 body = new SendEndpoint.ClientWideBody(delivery);
    byte[] into = new byte[body.length() + 2];
    body.writeTo(into, 1);
    assertEquals(0, into[0]);
    assertEquals(0, into[into.length - 1]);
    return new String(into, 1, body.length(), StandardCharsets.UTF_8);
  }

  /** The same answer made the slow way: a map per channel, written by Jackson. */
  private static String expected(Delivery delivery) throws Exception {
    List<Map<String, Object>> channels = new ArrayList<>();
    for (Delivery.ChannelDelivery each : delivery.channels()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("channel", each.channel());
      one.put("seq", each.seq());
      one.put("delivered", each.delivered());
      channels.add(one);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("delivered", delivery.delivered());
    body.put("channels", channels);
    return JSON.writeValueAsString(body);
  }

  @Test
  void manyChannels() throws Exception {
    List<Delivery.ChannelDelivery> each = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      each.add(new Delivery.ChannelDelivery("tab-" + i + "_x", i * 37L + 1, i % 3 == 0 ? 1 : 0));
    }
    Delivery delivery = new Delivery(0, 334, each, List.of(), null);
    String written = written(delivery);
    assertEquals(expected(delivery), written);
    JsonNode parsed = JSON.readTree(written);
    assertEquals(1000, parsed.get("channels").size());
  }

  @Test
  void oneChannelAndNone() throws Exception {
    Delivery one = new Delivery(0, 1, List.of(new Delivery.ChannelDelivery("main", 9_876_543_210L, 1)), List.of(), null);
    assertEquals(expected(one), written(one));
    Delivery none = new Delivery(0, 0, List.of(), List.of(), null);
    assertEquals(expected(none), written(none));
  }

  @Test
  void theChannelsArrayAloneIsTheSameJson() throws Exception {
    Delivery delivery = new Delivery(0, 1, List.of(new Delivery.ChannelDelivery("a", 1, 1),
        new Delivery.ChannelDelivery("b", 2, 0)), List.of(), null);
    String channels = new String(new SendEndpoint.ClientWideBody(delivery).channels(), StandardCharsets.UTF_8);
    assertEquals(JSON.readTree(expected(delivery)).get("channels"), JSON.readTree(channels));
  }
}
