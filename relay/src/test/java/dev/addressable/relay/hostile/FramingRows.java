package dev.addressable.relay.hostile;

import static dev.addressable.relay.hostile.RawRequests.CRLF;
import static dev.addressable.relay.hostile.RawRequests.bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Framing variants: each way to bend a request (line ends, versions, targets, header bytes, Host,
 * Content-Length, Transfer-Encoding, sizes) applied to three requests, two that the relay's own
 * fast path parses ({@code GET /poll}, a {@code GET} send) and one that Jetty's parser serves
 * ({@code GET /health}). Row names end in {@code [fast GET /poll]}, {@code [fast GET send]} and
 * {@code [jetty GET /health]}; {@link #variants} names the variants, for the check that both
 * parsers agree.
 */
final class FramingRows extends CorpusRows {

  private final Map<String, Variant> variants = new LinkedHashMap<>();

  FramingRows(Fixture f) {
    super(f);
  }

  /** The variants added so far, by name, in order. */
  Map<String, Variant> variants() {
    return variants;
  }

  /** A request as lines, so that framing variants can bend any part of it. */
  private record Template(String method, String path, String query, String version, List<String> headers, String body) {

    String target() {
      return path + (query == null ? "" : "?" + query);
    }

    Template method(String value) {
      return new Template(value, path, query, version, headers, body);
    }

    Template path(UnaryOperator<String> change) {
      return new Template(method, change.apply(path), query, version, headers, body);
    }

    Template query(UnaryOperator<String> change) {
      return new Template(method, path, change.apply(query), version, headers, body);
    }

    Template version(String value) {
      return new Template(method, path, query, value, headers, body);
    }

    Template header(String line) {
      List<String> more = new ArrayList<>(headers);
      more.add(line);
      return new Template(method, path, query, version, more, body);
    }

    Template without(String name) {
      return new Template(method, path, query, version,
          headers.stream().filter(h -> !h.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList(), body);
    }

    Template replace(String name, String line) {
      return without(name).header(line);
    }

    Template body(String raw) {
      return new Template(method, path, query, version, headers, raw);
    }

    byte[] bytes() {
      return bytes(CRLF);
    }

    /** The request with every line ended by {@code eol}. */
    byte[] bytes(String eol) {
      return bytes(eol, eol, eol);
    }

    /** The request line ended by {@code first}, header lines by {@code fields}, the head by {@code last}. */
    byte[] bytes(String first, String fields, String last) {
      StringBuilder out = new StringBuilder(method).append(' ').append(target()).append(version.isEmpty() ? "" : " ")
          .append(version).append(first);
      for (String line : headers) {
        out.append(line).append(fields);
      }
      out.append(last).append(body);
      return RawRequests.bytes(out.toString());
    }
  }

  /** A way to bend a request, and what each request bent so should get. */
  record Variant(String name, Function<Template, byte[]> bend, Expect expect) {}

  private void variant(String name, Function<Template, byte[]> bend, Expect expect) {
    variants.put(name, new Variant(name, bend, expect));
  }

  @Override
  void addTo(List<Row> rows) {
    Expect accepted = Expect.accepted();
    Expect bad = Expect.error(400, "bad_request");
    Expect badVersion = Expect.errorIn(Set.of(400, 505));
    Expect badPath = Expect.errorIn(Set.of(400, 404));
    // Jetty's own parser takes bare LF line ends (RFC 9112 allows it) and refuses a bare CR;
    // either answer is fine for LF as long as both paths give it, promptly.
    variant("bare LF line endings", t -> t.bytes("\n"), accepted.or(bad));
    variant("bare CR line endings", t -> t.bytes("\r"), bad);
    variant("CRLF request line, LF header lines", t -> t.bytes(CRLF, "\n", CRLF), accepted.or(bad));
    variant("LF request line, CRLF header lines", t -> t.bytes("\n", CRLF, CRLF), accepted.or(bad));
    variant("a blank line before the request line", t -> concat(bytes(CRLF), t.bytes()), accepted);
    variant("HTTP/1.0", t -> t.version("HTTP/1.0").bytes(), accepted);
    variant("HTTP/1.2", t -> t.version("HTTP/1.2").bytes(), badVersion);
    variant("HTTP/2.0", t -> t.version("HTTP/2.0").bytes(), Expect.errorIn(Set.of(400, 426, 505)));
    variant("HTTP/0.9 request line without a version", t -> t.version("").bytes(), badVersion);
    variant("lower-case version http/1.1", t -> t.version("http/1.1").bytes(), badVersion.or(accepted));
    variant("lower-case method", t -> t.method("get").bytes(), Expect.errorIn(Set.of(400, 405, 501)).or(accepted));
    variant("tab between method and target", t -> bytes(new String(t.bytes(), StandardCharsets.ISO_8859_1)
        .replaceFirst(" ", "\t")), accepted.or(bad));
    variant("two spaces between method and target", t -> t.method("GET ").bytes(), accepted.or(bad));
    variant("space after the version", t -> t.version("HTTP/1.1 ").bytes(), bad);
    variant("absolute-form target", t -> t.path(p -> "http://localhost" + p).bytes(), accepted);
    variant("asterisk target", t -> t.path(p -> "*").query(q -> null).bytes(), Expect.errorIn(Set.of(400, 404, 405)));
    variant("encoded slash %2F in the path", t -> t.path(p -> p + "%2Fx").bytes(), badPath);
    variant("dot segments that resolve", t -> t.path(p -> "/x/.." + p).bytes(), accepted.or(badPath));
    variant("dot segments above the root", t -> t.path(p -> "/../.." + p).bytes(), bad);
    variant("encoded dot segments", t -> t.path(p -> "/x/%2e%2e" + p).bytes(), badPath.or(accepted));
    variant("empty segment //", t -> t.path(p -> "/" + p).bytes(), badPath);
    variant("raw space in the target", t -> t.path(p -> p + " x").bytes(), bad);
    variant("NUL in the target", t -> t.path(p -> p + "\u0000").bytes(), bad);
    variant("control byte 0x01 in the target", t -> t.path(p -> p + "\u0001").bytes(), bad);
    variant("DEL in the target", t -> t.path(p -> p + "\u007f").bytes(), bad);
    variant("byte 0xFF in the target", t -> t.path(p -> p + "\u00ff").bytes(), bad);
    variant("UTF-8 bytes in the query", t -> t.query(q -> (q == null ? "" : q + "&") + "x=\u00c3\u00a9").bytes(),
        bad.or(accepted));
    variant("NUL in a header name", t -> t.header("X-O\u0000dd: v").bytes(), bad);
    variant("control byte in a header name", t -> t.header("X-O\u0001dd: v").bytes(), bad);
    variant("DEL in a header name", t -> t.header("X-O\u007fdd: v").bytes(), bad);
    variant("UTF-8 bytes in a header name", t -> t.header("X-\u00c3\u00a9: v").bytes(), bad);
    variant("NUL in a header value", t -> t.header("X-Odd: a\u0000b").bytes(), bad);
    variant("control byte in a header value", t -> t.header("X-Odd: a\u0001b").bytes(), bad);
    variant("DEL in a header value", t -> t.header("X-Odd: a\u007fb").bytes(), bad);
    variant("UTF-8 bytes in a header value", t -> t.header("X-Odd: caf\u00c3\u00a9").bytes(), accepted);
    variant("space before the colon", t -> t.header("X-Odd : v").bytes(), bad);
    variant("header line without a colon", t -> t.header("X-Odd").bytes(), bad);
    variant("empty header name", t -> t.header(": v").bytes(), bad);
    variant("obs-fold continuation line", t -> t.header("X-Odd: a" + CRLF + " b").bytes(), bad);
    variant("duplicate Host", t -> t.header("Host: localhost").bytes(), bad);
    variant("no Host", t -> t.without("Host").bytes(), bad);
    variant("Host: a b", t -> t.replace("Host", "Host: a b").bytes(), bad);
    variant("Host: [::1", t -> t.replace("Host", "Host: [::1").bytes(), bad);
    variant("Host: :80", t -> t.replace("Host", "Host: :80").bytes(), bad);
    variant("Host: exa mple", t -> t.replace("Host", "Host: exa mple").bytes(), bad);
    variant("Host with a port that is not a number", t -> t.replace("Host", "Host: localhost:http").bytes(), bad);
    variant("duplicate Content-Length: 0", t -> t.header("Content-Length: 0").header("Content-Length: 0").bytes(), bad);
    variant("Content-Length: 0, 0", t -> t.header("Content-Length: 0, 0").bytes(), bad);
    variant("Content-Length: -1", t -> t.header("Content-Length: -1").bytes(), bad);
    variant("Content-Length with Transfer-Encoding: chunked", t -> t.header("Content-Length: 5")
        .header("Transfer-Encoding: chunked").body("0" + CRLF + CRLF).bytes(), bad);
    variant("chunk size not hex", t -> t.header("Transfer-Encoding: chunked").body("zz" + CRLF + "hello" + CRLF + "0" + CRLF
        + CRLF).bytes(), accepted.or(bad));
    variant("chunked, then not chunked last", t -> t.header("Transfer-Encoding: chunked, identity").body("0" + CRLF + CRLF)
        .bytes(), bad);
    variant("Transfer-Encoding: gzip", t -> t.header("Transfer-Encoding: gzip").bytes(), bad);
    variant("Expect: 100-continue", t -> t.header("Expect: 100-continue").bytes(), accepted);
    variant("Upgrade: h2c", t -> t.header("Upgrade: h2c").header("HTTP2-Settings: AAMAAABkAAQAAP__").bytes(),
        accepted.or(bad));
    // 30 KB is past the head limit today (the URL limit + 8 KiB); a relay may take more, if both paths do.
    variant("a head of 30 KB", t -> t.header("X-Pad: " + "p".repeat(30_000)).bytes(),
        Expect.error(431, "headers_too_large").or(accepted));
    variant("a head of 70 KB", t -> t.header("X-Pad: " + "p".repeat(70_000)).bytes(), Expect.error(431, "headers_too_large"));
    variant("200 header lines", t -> {
      Template many = t;
      for (int i = 0; i < 200; i++) {
        many = many.header("X-H" + i + ": v" + i);
      }
      return many.bytes();
    }, accepted);
    variant("a request line over the URL limit", t -> t.query(q -> (q == null ? "" : q + "&") + "pad=" + "u".repeat(17_000))
        .bytes(), Expect.error(414, "uri_too_long"));
    variant("a request line past Jetty's head limit", t -> t.query(q -> (q == null ? "" : q + "&") + "pad="
        + "u".repeat(40_000)).bytes(), Expect.error(414, "uri_too_long"));

    List<String> base = List.of("Host: localhost");
    Template poll = new Template("GET", "/poll", "client=" + c.client() + "&channel=" + c.channel() + "&timeout=0", "HTTP/1.1",
        concat(base, "Authorization: Bearer " + c.key(), "Connection: close"), "");
    Template send = new Template("GET", "/m/" + c.client() + "/" + c.channel(), "message=x", "HTTP/1.1",
        concat(base, "Connection: close"), "");
    Template health = new Template("GET", "/health", null, "HTTP/1.1", concat(base, "Connection: close"), "");
    for (Variant v : variants.values()) {
      add(rows, v.name() + " [fast GET /poll]", v.bend().apply(poll), v.expect());
      add(rows, v.name() + " [fast GET send]", v.bend().apply(send), v.expect());
      add(rows, v.name() + " [jetty GET /health]", v.bend().apply(health), v.expect());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static List<String> concat(List<String> base, String... more) {
    return Stream.concat(base.stream(), Stream.of(more)).collect(Collectors.toList());
  }
}
