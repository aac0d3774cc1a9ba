package dev.addressable.bench.jmh;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.memory.MemoryStore;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send path below HTTP: {@code Store.append} on the memory store (once {@code Dispatcher.toChannel})
 * to a random one of {@code channels} live channels (one client each, as in the latency scenario),
 * nobody parked, so it measures the channel's id and the send as the endpoint makes them, the
 * lookup, the inbox append and its trimming, and the completed stage. Every inbox is filled to its bound (1,000 messages)
 * at setup, so each append also drops the oldest: without that the inboxes keep growing during
 * the run and the score decays with the heap. Run with one thread and with two (this machine's
 * cores) to see contention.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatcherBenchmark {

  @Param({"1000"})
  public int channels;

  private Store store;
  private String[] clients;
  private final String message = "1234_5678901234";

  @Setup
  public void wire() {
    Wiring wiring = new Wiring();
    wiring.build(Metrics.class); // the relay events sink of every inbox
    wiring.with(MemoryBudget.unlimited()); // 1,000 full inboxes: past a budget built from a guessed long
    store = wiring.build(MemoryStore.class);
    clients = new String[channels];
    for (int i = 0; i < channels; i++) {
      clients[i] = Ids.newClientId();
      ChannelId channel = new ChannelId(clients[i], "r" + i);
      store.open(channel);
      for (int m = 0; m < 1000; m++) {
        store.append(channel, new Send(message, 0));
      }
    }
  }

  @Benchmark
  @Threads(1)
  public Object toChannelOneThread() {
    return send();
  }

  @Benchmark
  @Threads(2)
  public Object toChannelTwoThreads() {
    return send();
  }

  private Object send() {
    int i = java.util.concurrent.ThreadLocalRandom.current().nextInt(channels);
    return store.append(new ChannelId(clients[i], "r" + i), new Send(message, 0));
  }
}
