package dev.addressable.bench.jmh;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.secret.KeyRing;
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

/**
 * Per-request checks on the poll path: the key check (an HMAC-SHA256 per poll) and the id and
 * channel-name checks (regular expressions), and making a new client id (SecureRandom, at connect).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyBenchmark {

  private final KeyRing keys = new KeyRing(new byte[32]);
  private final String client = Ids.newClientId();
  private final String key = keys.keyFor(client);

  @Benchmark
  public boolean verifyKey() {
    return keys.verify(client, key);
  }

  @Benchmark
  public boolean checkIds() {
    return Ids.isClientId(client) & Ids.isChannelName("r12345");
  }

  @Benchmark
  public String newClientId() {
    return Ids.newClientId();
  }
}
