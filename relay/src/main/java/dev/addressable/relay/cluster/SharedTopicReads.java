package dev.addressable.relay.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads of one topic from one position share a script while one is already on its way. After a
 * publish, every subscriber's poll comes back with the same topic position and asks Redis the same
 * question (what follows it, lease this node, count me as a subscriber); with 100,000 subscribers
 * that was 100,000 topic scripts a round queued behind {@link InFlight} (issue 17). Here the first
 * read of a position runs at once, as before; reads asked while it runs wait for it to end and
 * then go as one script, which adds every reader to the topic's subscriber set in one
 * {@code ZADD} and answers them all with the one read. A lone read waits for nothing.
 *
 * <p>Thread-safe: one lock over the table of reads under way, held only to join or leave it.
 */
final class SharedTopicReads {

  /** The most readers one script adds to the subscriber set (its arguments stay small). */
  static final int MOST_READERS = 1000;

  /** What makes two reads the same question: all of a topic read's arguments but the reader. */
  record Question(String topic, String epoch, String seq, String limit, String leaseMs, boolean confirms) {}

  /** Runs one topic read for {@code readers} (members; possibly none), reporting {@code followers}. */
  interface Reader {
    CompletionStage<List<Object>> read(Question question, List<String> readers, int followers);
  }

  private static final class Group {
    final List<String> readers = new ArrayList<>();
    int followers;
    final CompletableFuture<List<Object>> answer = new CompletableFuture<>();

    void join(String reader, int followers) {
      if (!reader.isEmpty()) {
        readers.add(reader);
      }
      this.followers = Math.max(this.followers, followers);
    }
  }

  /** The group a question's running script answers, and the one waiting to go after it. */
  private static final class Line {
    Group next;
  }

  private final Reader reader;
  private final Map<Question, Line> running = new HashMap<>(); // guarded by this

  SharedTopicReads(Reader reader) {
    this.reader = reader;
  }

  /** Reads {@code question} for {@code member} ('' for none): alone now, or with the others after the running one. */
  CompletionStage<List<Object>> read(Question question, String member, int followers) {
    Group now = null;
    Group joined;
    synchronized (this) {
      Line line = running.get(question);
      if (line == null) {
        running.put(question, new Line());
        now = new Group();
        joined = now;
      } else {
        if (line.next == null) {
          line.next = new Group();
        }
        joined = line.next;
      }
      joined.join(member, followers);
    }
    if (now != null) {
      start(question, now);
    }
    return joined.answer;
  }

  /** Questions with a script under way (for tests). */
  synchronized int running() {
    return running.size();
  }

  private void start(Question question, Group group) {
    List<CompletableFuture<List<Object>>> parts = new ArrayList<>();
    List<String> readers = group.readers;
    if (readers.isEmpty()) {
      parts.add(reader.read(question, List.of(), group.followers).toCompletableFuture());
    }
    for (int from = 0; from < readers.size(); from += MOST_READERS) {
      List<String> part = readers.subList(from, Math.min(readers.size(), from + MOST_READERS));
      parts.add(reader.read(question, part, group.followers).toCompletableFuture());
    }
    CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((all, failure) -> {
      Group next;
      synchronized (this) {
        Line line = running.get(question);
        next = line.next;
        line.next = null;
        if (next == null) {
          running.remove(question);
        }
      }
      if (failure != null) {
        group.answer.completeExceptionally(failure);
      } else {
        group.answer.complete(parts.get(0).join()); // every part read the same messages
      }
      if (next != null) {
        start(question, next);
      }
    });
  }
}
