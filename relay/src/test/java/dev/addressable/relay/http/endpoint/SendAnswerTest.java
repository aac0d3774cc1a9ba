package dev.addressable.relay.http.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A send's answer, written straight as UTF-8, is byte for byte what a JSON writer makes of its fields. */
class SendAnswerTest {

  private static String written(SendAnswer answer) {
    byte[] into = new byte[answer.length() + 2];
    answer.writeTo(into, 1);
    assertEquals(0, into[0]);
    assertEquals(0, into[into.length - 1]);
    return new String(into, 1, answer.length(), StandardCharsets.UTF_8);
  }

  /** The same answer made the slow way: maps, written by Jackson. */
  private static String expected(Delivery delivery, SendAnswer.Kind kind, Boolean received, int status) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (kind != SendAnswer.Kind.CLIENT) {
      body.put("seq", delivery.position().seq());
    }
    body.put("delivered", delivery.delivered());
    if (kind == SendAnswer.Kind.TOPIC) {
      body.put("subscribers", delivery.subscribers());
    }
    if (kind == SendAnswer.Kind.CLIENT) {
      List<Map<String, Object>> channels = new ArrayList<>();
      for (Delivery.ChannelDelivery each : delivery.channels()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("channel", each.channel().name());
        one.put("seq", each.position().seq());
        one.put("delivered", each.delivered());
        channels.add(one);
      }
      body.put("channels", channels);
    }
    if (received != null) {
      body.put("received", received);
    }
    if (status != 0) {
      body.put("status", status);
    }
    return Json.write(body);
  }

  private static void assertEveryForm(Delivery delivery, SendAnswer.Kind kind) {
    for (Boolean received : new Boolean[] {null, true, false}) {
      for (int status : new int[] {0, 202}) {
        SendAnswer answer = new SendAnswer(delivery, kind, null, status);
        if (received != null) {
          answer = answer.received(received);
        }
        assertEquals(expected(delivery, kind, received, status), written(answer), kind + " " + received + " " + status);
      }
    }
  }

  private static final String CLIENT = "AAAAAAAAAAAAAAAAAAAAAA";

  private static Cursor at(long seq) {
    return new Cursor("epoch-0123", seq);
  }

  private static Delivery.ChannelDelivery copy(String channel, long seq, int delivered) {
    return new Delivery.ChannelDelivery(new ChannelId(CLIENT, channel), at(seq), delivered);
  }

  @Test
  void aChannel() {
    assertEveryForm(new Delivery(at(9_876_543_210L), 1, List.of(), 0), SendAnswer.Kind.CHANNEL);
    assertEveryForm(new Delivery(at(1), 0, List.of(), 0), SendAnswer.Kind.CHANNEL);
  }

  @Test
  void manyChannelsOfAClient() {
    List<Delivery.ChannelDelivery> each = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      each.add(copy("tab-" + i + "_x", i * 1_000_003L, i % 2));
    }
    assertEveryForm(new Delivery(null, 500, each, 0), SendAnswer.Kind.CLIENT);
  }

  @Test
  void oneChannelOfAClientAndNone() {
    assertEveryForm(new Delivery(null, 1, List.of(copy("main", 9_876_543_210L, 1)), 0), SendAnswer.Kind.CLIENT);
    assertEveryForm(new Delivery(null, 0, List.of(), 0), SendAnswer.Kind.CLIENT);
  }

  @Test
  void aTopic() {
    assertEveryForm(new Delivery(at(42), 3, List.of(), 10_000), SendAnswer.Kind.TOPIC);
  }
}
