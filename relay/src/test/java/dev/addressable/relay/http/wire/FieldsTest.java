package dev.addressable.relay.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FieldsTest {

  @Test
  void plainAndEscapedValuesAreRead() {
    Fields f = Fields.ofQuery("client=AbC-_9&message=hello+big%20world%21&empty=&flag&&last=%E2%82%AC");
    assertEquals("AbC-_9", f.get("client"));
    assertEquals("hello big world!", f.get("message"));
    assertEquals("", f.get("empty"));
    assertEquals("", f.get("flag"), "a name without '=' has an empty value");
    assertEquals("€", f.get("last"));
    assertNull(f.get("missing"));
  }

  @Test
  void namesMayBeEscapedAndValuesMayHoldEquals() {
    Fields f = Fields.ofQuery("mess%61ge=a=b");
    assertEquals("a=b", f.get("message"));
  }

  @Test
  void namesOfTheRelayAreMatchedWhole() {
    Fields f = Fields.ofQuery("clientx=1&clien=2&client=3&k%65y=4");
    assertEquals("1", f.get("clientx"));
    assertEquals("2", f.get("clien"));
    assertEquals("3", f.get("client"));
    assertEquals("4", f.get("key"));
    assertThrows(ApiException.class, () -> Fields.ofQuery("key=1&k%65y=2"), "the same name, escaped or not");
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharacters() {
    assertEquals("\\uFFFD(", escape(Fields.ofQuery("m=%C3%28").get("m")));
  }

  @Test
  void aFieldGivenTwiceIsRefused() {
    ApiException e = assertThrows(ApiException.class, () -> Fields.ofQuery("message=a&x=1&message=b"));
    assertEquals("bad_request", e.code());
  }

  @Test
  void noQueryHasNoFields() {
    assertNull(Fields.ofQuery(null).get("a"));
    assertNull(Fields.ofQuery("").get("a"));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c < 128 ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return out.toString();
  }
}
