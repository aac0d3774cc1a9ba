package dev.addressable.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's side of one {@link Agent}: starts it as a plain {@code java -cp bench.jar}
 * child process, sends commands, waits for answers, and kills it on close or when this JVM exits.
 */
public final class AgentHandle implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Process> ALL = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (ALL) {
        ALL.forEach(Process::destroyForcibly);
      }
    }, "agents-kill"));
  }

  private final Process process;
  private final OutputStream commands;
  private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
  public final String source;

  /** @param server the receiving server, or several as {@code host:port,host:port} (round-robin per receiver) */
  public AgentHandle(String system, String server, String source, long maxSeconds) throws IOException {
    this.source = source;
    String java = ProcessHandle.current().info().command().orElse("java");
    // Full JIT (C2), not C1 only: in fan-out one helper reads 10,000 answers and polls again as
    // fast as it can, and with C1 it was the bottleneck for both systems (Nchan's fan-out to
    // 10,000 took 310-330 ms with C1 helpers and 180-240 ms with C2; docs/BENCHMARKS.md).
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx768m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Agent.class.getName(),
        "--system", system, "--server", server, "--source", source, "--max-seconds", Long.toString(maxSeconds));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    this.process = pb.start();
    synchronized (ALL) {
      ALL.add(process);
    }
    this.commands = process.getOutputStream();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          answers.add(JSON.readTree(line));
        }
      } catch (IOException ignored) {
        // the agent is gone; waiters time out
      }
    }, "agent-reader-" + source);
    reader.setDaemon(true);
    reader.start();
  }

  public static ObjectNode command(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  public synchronized void send(ObjectNode command) throws IOException {
    commands.write((command.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
  }

  /** The next answer named {@code op}; earlier answers of other names are dropped. */
  public JsonNode await(String op, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode answer = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
      if (answer == null) {
        throw new IOException("agent " + source + " did not answer " + op + " within " + timeout.toSeconds()
            + " s" + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
      }
      if (answer.path("op").asText().equals(op)) {
        return answer;
      }
    }
  }

  public JsonNode request(ObjectNode command, String op, Duration timeout) throws IOException, InterruptedException {
    send(command);
    return await(op, timeout);
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        request(command("close"), "closed", Duration.ofSeconds(15));
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("agent " + source + " did not close cleanly: " + e.getMessage());
    } finally {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process.destroyForcibly();
      synchronized (ALL) {
        ALL.remove(process);
      }
    }
  }
}
