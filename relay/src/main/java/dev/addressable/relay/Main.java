package dev.addressable.relay;

import dev.addressable.relay.config.Options;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.config.StartupException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar relay.jar [options]}: starts a relay; {@code --help} lists the options. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    RelayConfig config = configOrExit(args, "relay.jar");
    if (config == null) {
      return;
    }
    Relay relay;
    try {
      relay = Relay.start(config);
    } catch (StartupException e) {
      System.err.println("addressable: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "addressable-shutdown"));
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("Addressable relay listening on http://{}:{} (data dir {})",
        "0.0.0.0".equals(config.server().host()) ? "localhost" : config.server().host(), relay.port(),
        config.server().dataDir().toAbsolutePath().normalize());
  }

  /**
   * The settings from {@code args} and the environment; prints help and answers {@code null} for
   * {@code --help}, and exits with status 2 and a message naming the bad option otherwise.
   */
  public static RelayConfig configOrExit(String[] args, String jarName) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(Options.help().replace("relay.jar", jarName));
      return null;
    }
    try {
      return Options.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("addressable: " + e.getMessage());
      System.exit(2);
      return null;
    }
  }
}
