package dev.addressable.relay.store;

import java.util.regex.Pattern;

/** An event variable, by its name (16–128 chars of {@code A-Z a-z 0-9 _ -}, checked by whoever made the value: {@link #isValid}). */
public record VariableName(String value) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  /** Whether {@code name} is a variable's name: 16–128 chars of {@code A-Z a-z 0-9 _ -}. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public VariableName {
    if (value == null) {
      throw new IllegalArgumentException("a variable name is required");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
