package dev.addressable.bench.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server's processes seen from outside through /proc: the process itself and its direct
 * children (nginx's workers under its master; the relay JVM has none), or several such processes
 * (the relays of one cluster, or several nginx masters). Memory is summed over them: RSS as the
 * scenario asks (which counts pages the processes share once per process) and PSS (shared pages
 * split among their sharers). CPU is user plus system time.
 */
public final class ServerProcess {

  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final List<Long> roots;

  public ServerProcess(long pid) {
    this(List.of(pid));
  }

  public ServerProcess(List<Long> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no process to watch");
    }
    this.roots = List.copyOf(roots);
  }

  /** From {@code pid[,pid…]}. */
  public static ServerProcess parse(String pids) {
    List<Long> roots = new ArrayList<>();
    for (String p : pids.split(",")) {
      if (!p.isBlank()) {
        roots.add(Long.parseLong(p.trim()));
      }
    }
    return new ServerProcess(roots);
  }

  /** The processes and their direct children, as they are now. */
  public List<Long> pids() throws IOException {
    List<Long> out = new ArrayList<>(roots);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long[] stat = stat(Long.parseLong(name));
        if (stat != null && roots.contains(stat[0])) {
          out.add(Long.parseLong(name));
        }
      }
    }
    return out;
  }

  /** Summed VmRSS, KiB. */
  public long rssKib() throws IOException {
    long sum = 0;
    for (long p : pids()) {
      sum += field(Path.of("/proc", Long.toString(p), "status"), "VmRSS:");
    }
    return sum;
  }

  /** Summed proportional set size, KiB. */
  public long pssKib() throws IOException {
    long sum = 0;
    for (long p : pids()) {
      sum += field(Path.of("/proc", Long.toString(p), "smaps_rollup"), "Pss:");
    }
    return sum;
  }

  /** Summed user + system CPU time, nanoseconds. */
  public long cpuNanos() throws IOException {
    long ticks = 0;
    for (long p : pids()) {
      long[] stat = stat(p);
      if (stat != null) {
        ticks += stat[1] + stat[2];
      }
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** Threads summed over the processes. */
  public long threads() throws IOException {
    long sum = 0;
    for (long p : pids()) {
      sum += field(Path.of("/proc", Long.toString(p), "status"), "Threads:");
    }
    return sum;
  }

  /** [ppid, utime, stime] of a process, or null if it is gone. */
  private static long[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
      return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long field(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone: count nothing
    }
    return 0;
  }
}
