package dev.addressable.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Condenses a JFR recording of the relay into the evidence the benchmark notes cite: where CPU
 * samples land (top frame, and the first frame in the relay's own code), what allocates (by class
 * and by allocating site, weighted by JFR's sampled bytes), lock contention, and GC pauses.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.profile.JfrSummary recording.jfr [--top 15]</pre>
 */
public final class JfrSummary {

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrSummary recording.jfr [--top N]");
      System.exit(2);
    }
    int top = args.length >= 3 && args[1].equals("--top") ? Integer.parseInt(args[2]) : 15;
    List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));

    Map<String, Long> topFrame = new HashMap<>();
    Map<String, Long> relayFrame = new HashMap<>();
    Map<String, Long> packages = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> allocClass = new HashMap<>();
    Map<String, Long> allocSite = new HashMap<>();
    Map<String, Long> allocRelaySite = new HashMap<>();
    Map<String, Long> monitors = new HashMap<>();
    long samples = 0;
    long allocBytes = 0;
    long gcPauseNanos = 0;
    long gcs = 0;
    long longestPause = 0;
    for (RecordedEvent e : events) {
      switch (e.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          samples++;
          RecordedStackTrace st = e.getStackTrace();
          if (st == null || st.getFrames().isEmpty()) {
            continue;
          }
          topFrame.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
          relayFrame.merge(firstMatching(st, f -> f.getMethod().getType().getName().startsWith("dev.addressable")), 1L, Long::sum);
          packages.merge(pkg(st.getFrames().get(0)), 1L, Long::sum);
          threads.merge(threadGroup(e), 1L, Long::sum);
        }
        case "jdk.ObjectAllocationSample" -> {
          long w = e.getLong("weight");
          allocBytes += w;
          allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
          RecordedStackTrace st = e.getStackTrace();
          if (st != null && !st.getFrames().isEmpty()) {
            allocSite.merge(firstMatching(st, f -> !f.getMethod().getType().getName().startsWith("java.")), w, Long::sum);
            allocRelaySite.merge(firstMatching(st, f -> f.getMethod().getType().getName().startsWith("dev.addressable")), w, Long::sum);
          }
        }
        case "jdk.JavaMonitorEnter" -> monitors.merge(e.getClass("monitorClass").getName(), e.getDuration().toNanos(), Long::sum);
        case "jdk.GarbageCollection" -> {
          gcs++;
          long pause = e.getDuration("sumOfPauses").toNanos();
          gcPauseNanos += pause;
          longestPause = Math.max(longestPause, e.getDuration("longestPause").toNanos());
        }
        default -> { }
      }
    }
    System.out.printf("CPU samples: %d%n", samples);
    print("top frame", topFrame, samples, top, "samples");
    print("first relay frame on the stack (dev.addressable.*)", relayFrame, samples, top, "samples");
    print("top frame's package", packages, samples, top, "samples");
    print("thread", threads, samples, top, "samples");
    System.out.printf("%nallocation (JFR sampled weight): %.1f MB%n", allocBytes / 1e6);
    print("allocated class", allocClass, allocBytes, top, "bytes");
    print("allocating site (first frame outside java.*)", allocSite, allocBytes, top, "bytes");
    print("allocating relay frame (first dev.addressable.* frame)", allocRelaySite, allocBytes, top, "bytes");
    print("contended monitors (total blocked time)", monitors, monitors.values().stream().mapToLong(Long::longValue).sum(), top, "ns");
    System.out.printf("%nGC: %d collections, %.1f ms paused in total, longest pause %.1f ms%n", gcs, gcPauseNanos / 1e6, longestPause / 1e6);
  }

  private static String firstMatching(RecordedStackTrace st, Predicate<RecordedFrame> p) {
    for (RecordedFrame f : st.getFrames()) {
      if (f.getMethod() != null && p.test(f)) {
        return frame(f);
      }
    }
    return "(none)";
  }

  private static String frame(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "?";
    }
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static String pkg(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "?";
    }
    String type = f.getMethod().getType().getName();
    int dot = type.lastIndexOf('.');
    return dot < 0 ? "" : type.substring(0, dot);
  }

  private static String threadGroup(RecordedEvent e) {
    var thread = e.getThread("sampledThread");
    String name = thread == null ? "?" : thread.getJavaName();
    return name == null ? "?" : name.replaceAll("-?\\d+$", "-N");
  }

  private static void print(String title, Map<String, Long> counts, long total, int top, String unit) {
    System.out.printf("%n%s:%n", title);
    List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top).collect(Collectors.toList());
    for (Map.Entry<String, Long> en : sorted) {
      System.out.printf("  %5.1f%%  %-70s %,d %s%n", total == 0 ? 0 : 100.0 * en.getValue() / total, en.getKey(), en.getValue(), unit);
    }
  }

  private JfrSummary() {}
}
