package dev.addressable.relay.hostile;

import java.util.Set;
import java.util.TreeSet;

/** What a row should get. */
record Expect(Set<Integer> statuses, Set<String> codes, Kind kind, String contains) {

  enum Kind { ERROR, SCRIPT, OK }

  /** A JSON error with {@code status} and one of {@code codes} (any code if none are given). */
  static Expect error(int status, String... codes) {
    return new Expect(Set.of(status), Set.of(codes), Kind.ERROR, null);
  }

  /** A JSON error with one of {@code statuses}, for rows where more than one answer is right. */
  static Expect errorIn(Set<Integer> statuses, String... codes) {
    return new Expect(statuses, Set.of(codes), Kind.ERROR, null);
  }

  /** A 2xx, whose body holds {@code contains} if that is not {@code null}. */
  static Expect ok(int status, String contains) {
    return new Expect(Set.of(status), Set.of(), Kind.OK, contains);
  }

  /** Any 2xx: the request was accepted and served. */
  static Expect accepted() {
    return new Expect(Set.of(200, 201, 202, 204), Set.of(), Kind.OK, null);
  }

  /** A JSONP error: a 200 script {@code /**}{@code /fn({...,"error":code,...,"status":status})}. */
  static Expect script(String code, int status) {
    return new Expect(Set.of(200), Set.of(code), Kind.SCRIPT, "\"status\":" + status);
  }

  /** Either of two expectations' statuses and codes, checked as errors or acceptance by status. */
  Expect or(Expect other) {
    Set<Integer> s = new TreeSet<>(statuses);
    s.addAll(other.statuses);
    Set<String> k = new TreeSet<>(codes);
    k.addAll(other.codes);
    return new Expect(s, k, kind == Kind.OK ? other.kind : kind, contains);
  }

  @Override
  public String toString() {
    return new TreeSet<>(statuses) + (codes.isEmpty() ? "" : " " + new TreeSet<>(codes))
        + (kind == Kind.SCRIPT ? " as a JSONP script" : "") + (contains == null ? "" : " holding " + contains);
  }
}
