package dev.addressable.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.inbox.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding a poll answer {@code {"cursor":…,"messages":[{"seq":…,"data":…,"ts":…},…]}}, four
 * ways, all giving the same bytes (checked at setup):
 * <ul>
 *   <li>{@code mapTree}: a LinkedHashMap per message serialized by an ObjectMapper to a string,
 *       then encoded (the relay before session 2);
 *   <li>{@code streaming}: a JsonGenerator straight to UTF-8 (the alternative weighed then);
 *   <li>{@code relayText}: each message's shared JSON appended to a string, then encoded (the
 *       relay in sessions 3 and 4, {@code Message.appendJson});
 *   <li>{@code relayBytes}: each message's shared UTF-8 written straight into one exactly sized
 *       array (the relay now, {@code Message.writeJson}; {@code PollTransport.Utf8Body} is
 *       package-private, so its few lines of framing are repeated here).
 * </ul>
 * The relay's messages share one body, whose JSON is made on first use; so do these.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PollAnswerBenchmark {

  /** A message as the relay keeps it. */
  record Msg(long seq, String data, long ts) {}

  @Param({"1", "10"})
  public int messages;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();
  private final String cursor = "q3J8vZ0aTk0.123456";
  private List<Msg> batch;
  private List<Message> relayBatch;

  @Setup
  public void prepare() throws IOException {
    batch = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      batch.add(new Msg(1000 + i, "{\"type\":\"order\",\"id\":" + i + ",\"status\":\"shipped\"}", 1732240000123L + i));
    }
    relayBatch = new ArrayList<>();
    for (Msg m : batch) {
      relayBatch.add(new Message(m.seq(), new Message.Body(m.data(), m.ts(), Long.MAX_VALUE, null)));
    }
    String tree = new String(mapTree(), StandardCharsets.UTF_8);
    for (byte[] other : List.of(streaming(), relayText(), relayBytes())) {
      String encoded = new String(other, StandardCharsets.UTF_8);
      if (!tree.equals(encoded)) {
        throw new IllegalStateException("encodings differ:\n" + tree + "\n" + encoded);
      }
    }
  }

  @Benchmark
  public byte[] mapTree() throws IOException {
    List<Map<String, Object>> list = new ArrayList<>(batch.size());
    for (Msg m : batch) {
      Map<String, Object> out = new LinkedHashMap<>(4);
      out.put("seq", m.seq());
      out.put("data", m.data());
      out.put("ts", m.ts());
      list.add(out);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cursor", cursor);
    body.put("messages", list);
    // The relay writes a String and Javalin turns it into bytes: count both steps.
    return MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] streaming() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 96 * batch.size());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("cursor", cursor);
      g.writeArrayFieldStart("messages");
      for (Msg m : batch) {
        g.writeStartObject();
        g.writeNumberField("seq", m.seq());
        g.writeStringField("data", m.data());
        g.writeNumberField("ts", m.ts());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static final byte[] CURSOR = "{\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGES = "\",\"messages\":[".getBytes(StandardCharsets.US_ASCII);

  @Benchmark
  public byte[] relayText() {
    StringBuilder out = new StringBuilder(64 + 96 * relayBatch.size());
    out.append("{\"cursor\":\"").append(cursor).append("\",\"messages\":[");
    for (int i = 0; i < relayBatch.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      relayBatch.get(i).appendJson(out);
    }
    return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] relayBytes() {
    byte[] cursorBytes = cursor.getBytes(StandardCharsets.UTF_8);
    int length = CURSOR.length + cursorBytes.length + MESSAGES.length + Math.max(0, relayBatch.size() - 1) + 2;
    for (Message m : relayBatch) {
      length += m.jsonLength();
    }
    byte[] out = new byte[length];
    System.arraycopy(CURSOR, 0, out, 0, CURSOR.length);
    int at = CURSOR.length;
    System.arraycopy(cursorBytes, 0, out, at, cursorBytes.length);
    at += cursorBytes.length;
    System.arraycopy(MESSAGES, 0, out, at, MESSAGES.length);
    at += MESSAGES.length;
    for (int i = 0; i < relayBatch.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      at = relayBatch.get(i).writeJson(out, at);
    }
    out[at++] = ']';
    out[at] = '}';
    return out;
  }
}
