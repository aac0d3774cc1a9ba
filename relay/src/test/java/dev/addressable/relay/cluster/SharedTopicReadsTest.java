package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SharedTopicReadsTest {

  /** A reader whose reads end when the test says so. */
  private static final class Reads implements SharedTopicReads.Reader {
    record Call(SharedTopicReads.Question question, List<String> readers, int followers,
        CompletableFuture<List<Object>> answer) {}

    final List<Call> calls = new ArrayList<>();

    @Override
    public synchronized CompletionStage<List<Object>> read(SharedTopicReads.Question question, List<String> readers,
        int followers) {
      Call call = new Call(question, List.copyOf(readers), followers, new CompletableFuture<>());
      calls.add(call);
      return call.answer;
    }

    synchronized Call call(int i) {
      return calls.get(i);
    }

    synchronized int count() {
      return calls.size();
    }
  }

  private static SharedTopicReads.Question question(String seq) {
    return new SharedTopicReads.Question("news", "e1", seq, "100", "62000", true);
  }

  private final Reads reads = new Reads();
  private final SharedTopicReads shared = new SharedTopicReads(reads);

  @Test
  void aLoneReadGoesAtOnce() throws Exception {
    CompletableFuture<List<Object>> a = shared.read(question("3"), "c1/a", 1).toCompletableFuture();
    assertEquals(1, reads.count());
    assertEquals(List.of("c1/a"), reads.call(0).readers());
    List<Object> answer = List.of("e1", 3L);
    reads.call(0).answer().complete(answer);
    assertSame(answer, a.get());
    assertEquals(0, shared.running(), "nothing left under way");
  }

  @Test
  void readsAskedWhileOneRunsGoTogetherAfterIt() throws Exception {
    CompletableFuture<List<Object>> first = shared.read(question("3"), "c1/a", 1).toCompletableFuture();
    CompletableFuture<List<Object>> second = shared.read(question("3"), "c2/a", 2).toCompletableFuture();
    CompletableFuture<List<Object>> third = shared.read(question("3"), "", 5).toCompletableFuture();
    CompletableFuture<List<Object>> fourth = shared.read(question("3"), "c3/b", 1).toCompletableFuture();
    CompletableFuture<List<Object>> elsewhere = shared.read(question("4"), "c4/a", 1).toCompletableFuture();
    assertEquals(2, reads.count(), "the first of each position at once; the rest wait for the first");
    assertEquals(question("4"), reads.call(1).question());
    assertFalse(second.isDone());

    reads.call(0).answer().complete(List.of("first"));
    assertEquals(List.of("first"), first.get());
    assertEquals(3, reads.count());
    assertEquals(List.of("c2/a", "c3/b"), reads.call(2).readers(), "one script for the waiting readers");
    assertEquals(5, reads.call(2).followers(), "the most followers any of them reported");
    assertFalse(second.isDone());

    reads.call(2).answer().complete(List.of("together"));
    assertEquals(List.of("together"), second.get());
    assertEquals(List.of("together"), third.get());
    assertEquals(List.of("together"), fourth.get());
    assertFalse(elsewhere.isDone());
    assertEquals(1, shared.running());
  }

  @Test
  void aFailureReachesOnlyTheReadsOfItsScript() throws Exception {
    CompletableFuture<List<Object>> first = shared.read(question("3"), "c1/a", 1).toCompletableFuture();
    CompletableFuture<List<Object>> second = shared.read(question("3"), "c2/a", 1).toCompletableFuture();
    reads.call(0).answer().completeExceptionally(new IllegalStateException("redis went away"));
    assertTrue(first.isCompletedExceptionally());
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, first::get);
    assertTrue(failed.getCause().getMessage().contains("redis went away"), failed.toString());
    assertFalse(second.isDone(), "the next group still goes");
    reads.call(1).answer().complete(List.of("ok"));
    assertEquals(List.of("ok"), second.get());
  }

  @Test
  void aLargeGroupIsSplitIntoScriptsOfAtMostTheLimit() throws Exception {
    shared.read(question("3"), "first/a", 1);
    int waiting = SharedTopicReads.MOST_READERS * 2 + 1;
    List<CompletableFuture<List<Object>>> group = IntStream.range(0, waiting)
        .mapToObj(i -> shared.read(question("3"), "c" + i + "/a", 1).toCompletableFuture())
        .toList();
    reads.call(0).answer().complete(List.of("first"));
    assertEquals(4, reads.count());
    assertEquals(SharedTopicReads.MOST_READERS, reads.call(1).readers().size());
    assertEquals(SharedTopicReads.MOST_READERS, reads.call(2).readers().size());
    assertEquals(List.of("c" + (waiting - 1) + "/a"), reads.call(3).readers());
    reads.call(1).answer().complete(List.of("part"));
    reads.call(2).answer().complete(List.of("part"));
    assertFalse(group.get(0).isDone(), "answered when every part has counted its readers");
    reads.call(3).answer().complete(List.of("part"));
    assertEquals(List.of("part"), group.get(waiting - 1).get());
    assertEquals(0, shared.running());
  }
}
