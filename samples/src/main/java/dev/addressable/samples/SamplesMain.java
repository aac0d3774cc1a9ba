package dev.addressable.samples;

import dev.addressable.relay.Relay;
import dev.addressable.relay.Main;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.samples.doorbell.CounterBackend;
import dev.addressable.samples.monitor.MonitorBackend;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay with its samples: everything the relay does, plus the sample apps at
 * {@code /samples/}, the doorbell's counter backend at {@code /samples/doorbell/api/} and the
 * monitor's topic and demo stream at {@code /samples/monitor/api/}. Takes the
 * relay's options ({@code --help}). In memory; nothing else to install.
 */
public final class SamplesMain {

  private SamplesMain() {}

  public static void main(String[] args) {
    RelayConfig config = Main.configOrExit(args, "addressable-samples.jar");
    if (config == null) {
      return;
    }
    Relay relay = start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "addressable-shutdown"));
    Logger log = LoggerFactory.getLogger(SamplesMain.class);
    String host = "0.0.0.0".equals(config.server().host()) ? "localhost" : config.server().host();
    log.info("Addressable relay with samples on http://{}:{}/samples/", host, relay.port());
  }

  /** Starts a relay serving the samples. */
  public static Relay start(RelayConfig config) {
    return start(config, System::currentTimeMillis);
  }

  /**
   * The same on {@code clock}, epoch milliseconds ({@link Relay#start(RelayConfig, LongSupplier, java.util.List)}):
   * tests move it on instead of sleeping.
   */
  public static Relay start(RelayConfig config, LongSupplier clock) {
    CounterBackend doorbell = new CounterBackend();
    MonitorBackend monitor = new MonitorBackend(config.server().publicUrl());
    return Relay.start(config, clock, java.util.List.of(SampleSite::configure, doorbell::configure, monitor::configure));
  }
}
