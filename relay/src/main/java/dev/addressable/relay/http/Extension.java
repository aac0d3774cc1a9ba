package dev.addressable.relay.http;

import io.javalin.config.JavalinConfig;

/**
 * Routes of an application that embeds the relay (as the samples' backends do), added to the
 * relay's server after the relay's own, with the same headers and error form. Javalin 7's
 * configuration is the one place an embedding application meets the server's library.
 */
@FunctionalInterface
public interface Extension {

  void configure(JavalinConfig config);
}
