package dev.addressable.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * Encoding a poll answer {@code {"cursor":…,"messages":[{"seq":…,"data":…,"ts":…},…]}}:
 * {@code mapTree} builds the same LinkedHashMap shape the relay's {@code PollEndpoint.body} builds
 * (package-private there, so rebuilt here) and serializes it with an ObjectMapper to a String, as
 * {@code Json.write} does; {@code streaming} writes the same bytes with a JsonGenerator straight to
 * UTF-8, the alternative this benchmark weighs. Same output, checked at setup.
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

  @Setup
  public void prepare() throws IOException {
    batch = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      batch.add(new Msg(1000 + i, "{\"type\":\"order\",\"id\":" + i + ",\"status\":\"shipped\"}", 1732240000123L + i));
    }
    String tree = new String(mapTree(), java.nio.charset.StandardCharsets.UTF_8);
    String streamed = new String(streaming(), java.nio.charset.StandardCharsets.UTF_8);
    if (!tree.equals(streamed)) {
      throw new IllegalStateException("encodings differ:\n" + tree + "\n" + streamed);
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
    return MAPPER.writeValueAsString(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
}
