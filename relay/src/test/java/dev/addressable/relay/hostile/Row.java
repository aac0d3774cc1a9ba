package dev.addressable.relay.hostile;

import java.nio.charset.StandardCharsets;

/** One request of {@link MalformedCorpusTest}'s corpus and the answer it should get. */
record Row(String name, byte[] request, boolean halfClose, Expect expect) {
  @Override
  public String toString() {
    return name;
  }

  String summary() {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    int eol = text.indexOf('\n');
    String first = eol < 0 ? text : text.substring(0, eol);
    return RawExchange.abbreviate(first.length() > 160 ? first.substring(0, 160) + "…" : first)
        + " (" + request.length + " bytes" + (halfClose ? ", then half-closed" : "") + ")";
  }
}
