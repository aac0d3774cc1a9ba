package dev.addressable.relay.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay does when the JVM runs out of memory: it exits at once with status 3, so that a
 * supervisor (systemd, Kubernetes, a shell loop) starts a fresh one, rather than lingering with
 * its timer or pool threads dead, accepting connections it never answers. A relay within its
 * memory budget never gets here; this is the net under that.
 *
 * <p>Called from every thread the relay owns or lends work to: the worker pool
 * ({@code HttpServer}'s), the timer thread ({@link #guard}), request handlers, and the default
 * uncaught-exception handler ({@link #install}).
 */
public final class Fatal {

  /** The process's exit status after an {@link OutOfMemoryError}. */
  public static final int EXIT_STATUS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(Fatal.class);

  private Fatal() {}

  /** Makes any thread that dies of a fatal error end the process. Call once at start. */
  public static void install() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
      exitIfFatal(failure);
      if (previous != null) {
        previous.uncaughtException(thread, failure);
      } else {
        LOG.error("thread {} died", thread.getName(), failure);
      }
    });
  }

  /** Whether the JVM cannot be trusted to go on after {@code failure}. */
  public static boolean isFatal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError || t instanceof InternalError || t instanceof UnknownError) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Ends the process if {@code failure} is fatal ({@link #isFatal}); returns otherwise. */
  public static void exitIfFatal(Throwable failure) {
    if (isFatal(failure)) {
      halt(failure.toString());
    }
  }

  /**
   * {@code task}, made safe to schedule again and again: a fatal error ends the process, anything
   * else is logged and the next run goes ahead (a periodic task that throws would otherwise never
   * run again, silently).
   */
  public static Runnable guard(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable failure) {
        exitIfFatal(failure);
        LOG.warn("{} failed; it runs again at its next turn", name, failure);
      }
    };
  }

  /** Prints why, and ends the process without running shutdown hooks (they may need memory too). */
  public static void halt(String why) {
    try {
      System.err.println("addressable: fatal: " + why + " in thread " + Thread.currentThread().getName()
          + "; exiting with status " + EXIT_STATUS + " so a supervisor can start the relay again");
      System.err.flush();
    } finally {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
