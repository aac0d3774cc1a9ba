package dev.addressable.relay.hub;

import dev.addressable.relay.store.ClientId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One hub per client at this relay. A hub is the one connection that carries several channels of
 * one client (all the tabs of one browser, led by one of them); its leader connects with a term,
 * and a leader that takes over connects with a higher one. This keeps, per client, the newest
 * term seen and the hub connection open now: a connection of a lower term is refused
 * ({@link StaleTermException}), and one of a higher term supersedes the open one, which is closed
 * with {@code superseded}. A connection of the same term replaces the open one too: it is the
 * same leader coming back (a long-poll's next poll, a stream reopened with a new list of
 * channels).
 *
 * <p>Terms live in this relay's memory: a restarted relay accepts any term, and in cluster mode
 * each relay fences the hubs that reach it (the browser library also drops deliveries of older
 * terms). An entry stays while its client's hub is open or was used within the sweep's idle time,
 * so the entries are bounded by the clients that used a hub lately. Thread-safe.
 */
public final class Hubs {

  /** An open hub connection, as the registry sees it. */
  public interface Connection {

    /**
     * Another connection of the client took over: end this one. Called once, outside any lock.
     *
     * @param sameTerm whether the newcomer has this connection's term (its own leader again)
     */
    void supersede(boolean sameTerm);
  }

  private final ConcurrentHashMap<ClientId, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final AtomicLong supersessions = new AtomicLong();

  public Hubs(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Makes {@code connection} the client's open hub, superseding the one open before (if any).
   *
   * @throws StaleTermException if a higher term than {@code term} connected before
   */
  public void open(ClientId client, long term, Connection connection) {
    Entry entry = entries.computeIfAbsent(client, c -> new Entry());
    Connection displaced;
    boolean sameTerm;
    synchronized (entry) {
      if (entry.retired) { // swept between the lookup and the lock: take the client's new entry
        open(client, term, connection);
        return;
      }
      if (term < entry.term) {
        throw new StaleTermException(term, entry.term);
      }
      displaced = entry.open;
      sameTerm = term == entry.term;
      entry.term = term;
      entry.open = connection;
      entry.used = clock.getAsLong();
    }
    if (displaced != null && displaced != connection) {
      supersessions.incrementAndGet();
      displaced.supersede(sameTerm);
    }
  }

  /** {@code connection} ended: the client has no open hub, unless another took over meanwhile. */
  public void close(ClientId client, Connection connection) {
    Entry entry = entries.get(client);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      if (entry.open == connection) {
        entry.open = null;
        entry.used = clock.getAsLong();
      }
    }
  }

  /** How many clients have a hub open at this relay now. */
  public int openCount() {
    int open = 0;
    for (Entry entry : entries.values()) {
      if (entry.open != null) {
        open++;
      }
    }
    return open;
  }

  /** How many hub connections were superseded by a newer one since start. */
  public long supersessions() {
    return supersessions.get();
  }

  /** Forgets the terms of clients whose hub is closed and unused since {@code idleMillis} ago. */
  public void sweep(long idleMillis) {
    long cutoff = clock.getAsLong() - idleMillis;
    entries.forEach((client, entry) -> {
      synchronized (entry) {
        if (entry.open == null && entry.used < cutoff) {
          entry.retired = true;
          entries.remove(client, entry);
        }
      }
    });
  }

  /** Entries held, for tests. */
  int size() {
    return entries.size();
  }

  /** A client's newest term and open connection; guarded by its own lock. */
  private static final class Entry {
    long term;
    Connection open;
    long used;
    boolean retired;
  }
}
