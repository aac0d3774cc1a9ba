package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} arguments. Each attack reads what it needs with a default; what was read is
 * remembered so the results show the exact parameters each attack ran with.
 */
final class Settings {

  private final Map<String, String> given;
  private final Map<String, String> used = new LinkedHashMap<>();

  Settings(String[] argv) {
    given = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("arguments are --name value pairs; got: " + argv[i]);
      }
      given.put(argv[i].substring(2), argv[++i]);
    }
  }

  /** Refuses a name not in {@code known}: a mistyped option must not silently fall back to its default. */
  void checkNames(java.util.Collection<String> known) {
    for (String name : given.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
      }
    }
  }

  String text(String name, String dflt) {
    String v = given.getOrDefault(name, dflt);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    used.put(name, v);
    return v;
  }

  /** A whole number within {@code min..max}. */
  long number(String name, long dflt, long min, long max) {
    String v = text(name, Long.toString(dflt));
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number: " + v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("--" + name + " must be within " + min + ".." + max + ": " + n);
    }
    return n;
  }

  int count(String name, int dflt, int max) {
    return (int) number(name, dflt, 1, max);
  }

  /** Starts a fresh record of what is read from here on (one per attack). */
  void forget() {
    used.clear();
  }

  void writeUsed(ObjectNode node) {
    used.forEach(node::put);
  }
}
