package dev.addressable.relay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test harness starts (Redis, relays in JVMs of their own) and the signals tests send
 * them. Every signal goes to one child by its PID, never by name; every wait is bounded. A JVM
 * shutdown hook kills, as a last resort, the children a test left running, so an aborted build
 * leaves no Redis or relay behind on a shared machine.
 */
public final class ChildProcesses {

  /** How long a stop, a kill or a signal may take before the harness calls it a failure. */
  public static final Duration GRACE = Duration.ofSeconds(10);

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "child-processes-reaper"));
  }

  private ChildProcesses() {}

  /** Starts {@code builder}'s process and remembers it for the shutdown hook. */
  public static Process start(ProcessBuilder builder) {
    try {
      Process process = builder.start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + builder.command(), e);
    }
  }

  /** SIGKILL, then waits until the process is gone; its exit status (137). */
  public static int kill9(Process process) {
    process.destroyForcibly();
    return awaitExit(process, "SIGKILL");
  }

  /**
   * SIGTERM, so the process may shut down in order; SIGKILL if it has not within {@link #GRACE}.
   * A stopped (paused) process is continued first: it would not see the SIGTERM otherwise.
   *
   * @return the exit status (143 or what the process chose) or 137 if it had to be killed
   */
  public static int terminate(Process process) {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    if (isPaused(process)) {
      signal(process, "CONT");
    }
    process.destroy();
    try {
      if (process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.println("pid " + process.pid() + " ignored SIGTERM for " + GRACE.toSeconds() + " s: SIGKILL");
    return kill9(process);
  }

  /** SIGSTOP: the process freezes (its sockets stay open, the kernel still completes handshakes). */
  public static void pause(Process process) {
    signal(process, "STOP");
    Await.until("pid " + process.pid() + " stopped by SIGSTOP", GRACE, () -> isPaused(process));
  }

  /** SIGCONT: a paused process runs on. */
  public static void resume(Process process) {
    signal(process, "CONT");
    Await.until("pid " + process.pid() + " running after SIGCONT", GRACE, () -> !isPaused(process));
  }

  /** Whether the process is stopped by a signal: state {@code T} in {@code /proc/<pid>/stat}. */
  public static boolean isPaused(Process process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII);
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException e) {
      return false; // gone
    }
  }

  /** The last {@code lines} lines of a log file, or a note saying why there are none. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static void signal(Process process, String signal) {
    if (!process.isAlive()) {
      throw new IllegalStateException("pid " + process.pid() + " has exited: no SIG" + signal);
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
      if (!kill.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + signal + " " + process.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
    }
  }

  private static int awaitExit(Process process, String after) {
    try {
      if (process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("pid " + process.pid() + " still alive " + GRACE.toSeconds() + " s after " + after);
  }
}
