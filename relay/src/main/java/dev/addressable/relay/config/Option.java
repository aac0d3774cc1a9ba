package dev.addressable.relay.config;

import java.util.Locale;

/**
 * One setting of the relay: its command-line flag, its environment variable, its default and a
 * line of help. Every option is listed in {@link Options#ALL}, which is also what {@code --help}
 * and the README's configuration table show.
 */
public record Option(String name, String defaultValue, String help) {

  /** The command-line flag, e.g. {@code --inbox-messages}. */
  public String flag() {
    return "--" + name;
  }

  /** The environment variable, e.g. {@code ADDRESSABLE_INBOX_MESSAGES}. */
  public String env() {
    return "ADDRESSABLE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
