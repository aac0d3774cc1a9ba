package dev.addressable.bench.jmh;

import dev.addressable.relay.inbox.Cursor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The cursor every poll carries: parsed from its wire form, and written back into each answer. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CursorBenchmark {

  private final String wire = "q3J8vZ0aTk0.123456";
  private final Cursor cursor = Cursor.parse(wire);

  @Benchmark
  public Cursor parse() {
    return Cursor.parse(wire);
  }

  @Benchmark
  public String format() {
    return cursor.toString();
  }
}
