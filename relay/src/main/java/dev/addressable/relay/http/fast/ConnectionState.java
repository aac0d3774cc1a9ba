package dev.addressable.relay.http.fast;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who owns a {@link HotConnection} now, as one atomic int, so that the selector (bytes arrived),
 * the thread serving a request and the thread that writes a late answer (a woken poll) never both
 * act on the connection. At most one of them owns it; the others leave a flag the owner reads.
 *
 * <pre>
 *   IDLE ──bytes──▶ SERVING ──answer outstanding──▶ AWAITING ──written──▶ SERVING (the writer owns it)
 *                     │  ▲                            │ bytes: PEEKING flag (a thread reads the early request)
 *                     │  └──────────────── ANSWERED ◀─┘ written while the owner still ran: it carries on
 *                     └──nothing to read──▶ IDLE
 * </pre>
 *
 * {@code FIRED} records that bytes arrived while someone owned the connection: the owner reads
 * before it lets the connection go idle.
 */
final class ConnectionState {

  /** Nothing to do: waiting for bytes (the fill interest is registered). */
  private static final int IDLE = 0;
  /** A thread is serving: it owns the connection. */
  private static final int SERVING = 1;
  /** The server left while an answer is outstanding; the write's completion carries on. */
  private static final int AWAITING = 2;
  /** The answer was written while the server (or a peeking read) was still running; it carries on. */
  private static final int ANSWERED = 3;
  private static final int BASE = 3;
  /** Flag: bytes arrived while someone owned the connection; the owner reads next. */
  private static final int FIRED = 4;
  /** Flag, with {@link #AWAITING}: a thread reads what the client sent while its answer is outstanding. */
  private static final int PEEKING = 8;

  /** What to do when bytes arrive. */
  enum Fillable {
    /** The connection was idle: this thread owns it now and serves. */
    SERVE,
    /** An answer is outstanding: this thread reads what came (the next request, or a hang-up). */
    PEEK,
    /** Someone owns it; they were told. */
    LEAVE
  }

  /** Who carries on after an answer was written or a peek ended. */
  enum Next {
    /** The thread that was serving (or waiting for the answer) carries on. */
    NOT_THIS_THREAD,
    /** This thread owns the connection now; no bytes are known to have arrived. */
    OWN,
    /** This thread owns the connection now, and bytes arrived meanwhile. */
    OWN_FIRED
  }

  private final AtomicInteger state = new AtomicInteger(IDLE);

  Fillable fillable() {
    while (true) {
      int now = state.get();
      if (now == IDLE) {
        if (state.compareAndSet(IDLE, SERVING)) {
          return Fillable.SERVE;
        }
      } else if ((now & BASE) == AWAITING && (now & PEEKING) == 0) {
        if (state.compareAndSet(now, now | PEEKING)) {
          return Fillable.PEEK;
        }
      } else if ((now & FIRED) != 0 || state.compareAndSet(now, now | FIRED)) {
        return Fillable.LEAVE;
      }
    }
  }

  /** The calling thread owns the connection (it opened with bytes to serve). */
  void own() {
    state.set(SERVING);
  }

  /** Takes an idle connection (for a timeout's answer); {@code false} if someone owns it. */
  boolean takeIdle() {
    return state.compareAndSet(IDLE, SERVING);
  }

  boolean isIdle() {
    return state.get() == IDLE;
  }

  /** Whether the answer of the request being served was written already. */
  boolean isAnswered() {
    return (state.get() & BASE) == ANSWERED;
  }

  /**
   * The server leaves the request to its outstanding answer.
   *
   * @return {@code true} if it now awaits the answer; {@code false} if the answer was written
   *     already (the server owns the connection still)
   */
  boolean await() {
    while (true) {
      int now = state.get();
      if ((now & BASE) == ANSWERED) {
        state.set(SERVING); // a lost FIRED is harmless: the owner reads or registers next
        return false;
      }
      if (state.compareAndSet(now, AWAITING | (now & FIRED))) {
        return true;
      }
    }
  }

  /** The owner lets the connection go idle; {@code false} if bytes arrived meanwhile (it still owns it). */
  boolean idle() {
    if (state.compareAndSet(SERVING, IDLE)) {
      return true;
    }
    state.set(SERVING); // FIRED
    return false;
  }

  /** The answer is written, on the calling thread. */
  Next answered() {
    int now;
    while (((now = state.get()) & BASE) == SERVING || (now & PEEKING) != 0) {
      if (state.compareAndSet(now, ANSWERED | (now & (FIRED | PEEKING)))) {
        return Next.NOT_THIS_THREAD; // the server or the peeking reader is still running and carries on
      }
    }
    return (state.getAndSet(SERVING) & FIRED) != 0 ? Next.OWN_FIRED : Next.OWN; // was AWAITING
  }

  /** A peeking read is done. */
  Next peeked() {
    while (true) {
      int now = state.get();
      if ((now & BASE) == AWAITING) {
        if (state.compareAndSet(now, now & ~PEEKING)) {
          return Next.NOT_THIS_THREAD;
        }
      } else { // the answer was written meanwhile and left the connection to this thread
        state.set(SERVING);
        return (now & FIRED) != 0 ? Next.OWN_FIRED : Next.OWN;
      }
    }
  }
}
