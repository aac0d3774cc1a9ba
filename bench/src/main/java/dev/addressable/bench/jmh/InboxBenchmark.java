package dev.addressable.bench.jmh;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.InboxEvents;
import dev.addressable.relay.config.RelayConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One inbox with the relay's default bounds (1,000 messages, 1 MiB, 120 s), kept full so every
 * append also trims the oldest: the steady state of a busy channel. Reads take the newest one or
 * ten messages, as a receiver that keeps up does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InboxBenchmark {

  private Inbox inbox;
  private final String message = "{\"type\":\"order\",\"id\":12345,\"status\":\"shipped\"}";

  @Setup
  public void fill() {
    inbox = new Inbox(RelayConfig.defaults().inbox(), System::currentTimeMillis, InboxEvents.NONE);
    for (int i = 0; i < 1200; i++) {
      inbox.append(message, 0);
    }
  }

  @Benchmark
  public void append(Blackhole bh) {
    bh.consume(inbox.append(message, 0));
  }

  @Benchmark
  public Object readNewestOne() {
    Cursor end = inbox.end();
    return inbox.read(new Cursor(end.epoch(), end.seq() - 1));
  }

  @Benchmark
  public Object readNewestTen() {
    Cursor end = inbox.end();
    return inbox.read(new Cursor(end.epoch(), end.seq() - 10));
  }
}
