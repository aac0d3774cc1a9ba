package dev.addressable.bench;

/** {@code --name value} arguments with defaults. */
final class Args {

  static String get(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }

  private Args() {}
}
