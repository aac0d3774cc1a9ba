package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One fault test's traffic and its bookkeeping (CLUSTER.md section 10): tabs long-polling across
 * the relays ({@link Tab}), and one sender per tab sending numbered messages through the relays in
 * turn, each with its own {@code mid}, retried with that {@code mid} after a 503 or no answer, as
 * the browser library does. {@link #check} then holds the run to a {@link Promise}:
 *
 * <ul>
 *   <li>I1: every acknowledged message reached its tab once, or (where the promise allows losses)
 *       its tab was told {@code missed};
 *   <li>I2: no message was stored twice (the same text under two seqs);
 *   <li>I3: no status but 200/202, the documented 503 (with {@code Retry-After}), 404 where the
 *       promise allows it, and no answer from a relay that was down;
 *   <li>I4: the surviving relays' threads did not grow;
 *   <li>I5: after the fault, a message sent to each tab arrives (service resumed by itself);
 *   <li>I6: no {@code missed} where the promise says none.
 * </ul>
 */
final class FaultRun implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a failure mode promises, per CLUSTER.md section 9. */
  enum Promise {
    /** Nothing acknowledged lost, no tab told {@code missed}. */
    NONE_LOST,
    /** Losses may happen, each reported to its tab as {@code missed}; 404 while channels are made anew. */
    LOSSES_REPORTED
  }

  /** A send's fate: acknowledged ({@code seq} set) or not, after its tries. */
  record Sent(Tab tab, String data, long seq, boolean dup, List<Integer> statuses) {
    boolean acknowledged() {
      return seq > 0;
    }
  }

  private final Supplier<List<String>> relays;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Tab> tabs = new ArrayList<>();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final List<Thread> senders = new ArrayList<>();
  private volatile boolean sending;

  /** @param relays the bases of the relays up now, asked before every request */
  FaultRun(Supplier<List<String>> relays) {
    this.relays = relays;
  }

  /** Opens {@code count} tabs, each connected through a relay in turn and polling from then on. */
  FaultRun tabs(int count) {
    for (int i = 0; i < count; i++) {
      List<String> bases = relays.get();
      RelayClient.Connection c = new RelayClient(bases.get(i % bases.size())).connect();
      tabs.add(new Tab("t" + i, c, relays));
    }
    return this;
  }

  /** Starts one sender per tab, a message every {@code every}, until {@link #stopSending}. */
  void startSending(Duration every) {
    sending = true;
    for (Tab tab : tabs) {
      Thread sender = new Thread(() -> {
        for (int n = 1; sending; n++) {
          sent.add(send(tab, tab.name + "-" + n));
          try {
            Thread.sleep(every.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "sender-" + tab.name);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
  }

  /** Stops the senders and waits for the sends in flight. */
  void stopSending() throws InterruptedException {
    sending = false;
    for (Thread sender : senders) {
      sender.join(30_000);
    }
    senders.clear();
  }

  /** Messages acknowledged so far. */
  long acknowledged() {
    return sent.stream().filter(Sent::acknowledged).count();
  }

  /**
   * One message with its own {@code mid}, through the relays in turn: tried again with that
   * {@code mid} after a 503 or no answer, up to 12 times within about 15 s.
   */
  Sent send(Tab tab, String data) {
    String mid = "mid-" + data;
    String path = tab.connection.url().substring(tab.connection.url().indexOf("/m/"));
    List<Integer> statuses = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (int attempt = 0; attempt < 12 && System.nanoTime() < deadline; attempt++) {
      List<String> bases = relays.get();
      String base = bases.get(Math.floorMod(data.hashCode() + attempt, bases.size()));
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path + "?mid=" + mid + "&message="
          + URLEncoder.encode(data, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        statuses.add(answer.statusCode());
        if (answer.statusCode() == 202) {
          JsonNode body = JSON.readTree(answer.body());
          return new Sent(tab, data, body.get("seq").asLong(), body.path("dup").asBoolean(false), statuses);
        }
        if (answer.statusCode() == 503) {
          assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "a 503 says when to come back: " + answer.body());
          pause(Math.min(1_000, answer.headers().firstValueAsLong("Retry-After").orElse(1) * 1000));
        } else if (answer.statusCode() == 404) {
          pause(300); // the channel is being made anew: its tab's next poll brings it back
        } else {
          break; // anything else is final, and I3 judges it
        }
      } catch (IOException e) {
        statuses.add(-1);
        pause(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Sent(tab, data, 0, false, statuses);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Threads of the relay at {@code base}, from its metrics; -1 if it does not answer. */
  static long threads(String base) {
    try {
      return metric(base, "addressable_jvm_threads");
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** One unlabelled value of the relay's {@code /metrics}, whole; -1 if it has none by that name. */
  static long metric(String base, String name) {
    String metrics = new RelayClient(base).get("/metrics").body();
    return metrics.lines().filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }

  /**
   * After the fault: sends one last message to each tab (I5), waits until every acknowledged
   * message is in (or, for {@link Promise#LOSSES_REPORTED}, until the last ones are), then holds
   * the run to its promise. Returns a one-line summary for the test's output.
   */
  String check(Promise promise, Duration patience) throws InterruptedException {
    for (Tab tab : tabs) {
      Sent last = send(tab, tab.name + "-last");
      sent.add(last);
      assertTrue(last.acknowledged(), "I5: " + tab.name + "'s last message was acknowledged: " + last.statuses());
    }
    Await.until("I5: every tab got its last message", patience, () -> tabs.stream().allMatch(t -> t.has(t.name + "-last")));
    if (promise == Promise.NONE_LOST) {
      Await.until("every acknowledged message arrived", patience, () -> sent.stream()
          .filter(Sent::acknowledged).allMatch(s -> s.tab().has(s.data())));
    }
    int acknowledged = 0;
    int delivered = 0;
    int lostReported = 0;
    int missedMarkers = 0;
    List<String> lost = new ArrayList<>();
    List<String> doubled = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Tab tab : tabs) {
      List<Tab.Got> got = tab.got();
      Map<String, List<Long>> seqsOf = new HashMap<>();
      for (Tab.Got g : got) {
        if (g.missed()) {
          missedMarkers++;
        } else {
          seqsOf.computeIfAbsent(g.data(), d -> new ArrayList<>()).add(g.seq());
        }
      }
      boolean toldMissed = got.stream().anyMatch(Tab.Got::missed);
      for (Sent s : sent) {
        if (s.tab() != tab) {
          continue;
        }
        s.statuses().forEach(st -> statuses.merge(st, 1, Integer::sum));
        if (!s.acknowledged()) {
          continue;
        }
        acknowledged++;
        List<Long> seqs = seqsOf.getOrDefault(s.data(), List.of());
        if (seqs.isEmpty()) {
          if (toldMissed) {
            lostReported++;
          } else {
            lost.add(s.data());
          }
        } else {
          delivered++;
          if (seqs.stream().distinct().count() > 1) {
            doubled.add(s.data() + " at " + seqs);
          }
        }
      }
      tab.statuses().forEach(st -> statuses.merge(st, 1, Integer::sum));
    }
    String summary = "acknowledged " + acknowledged + ", delivered " + delivered + ", lost and reported missed "
        + lostReported + ", missed markers " + missedMarkers + ", statuses " + statuses;
    assertEquals(List.of(), lost, "I1: acknowledged, never delivered, never reported missed; " + summary);
    assertEquals(List.of(), doubled, "I2: stored twice; " + summary);
    for (int status : statuses.keySet()) {
      boolean documented = status == -1 || status == 200 || status == 202 || status == 503
          || (status == 404 && promise == Promise.LOSSES_REPORTED);
      assertTrue(documented, "I3: status " + status + " is not a documented answer here; " + summary);
    }
    if (promise == Promise.NONE_LOST) {
      assertEquals(0, missedMarkers, "I6: no tab is told missed; " + summary);
      assertEquals(0, lostReported, summary);
    }
    return summary;
  }

  @Override
  public void close() throws InterruptedException {
    stopSending();
    tabs.forEach(Tab::close);
  }
}
