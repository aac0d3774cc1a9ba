package dev.addressable.relay.config;

import java.time.Duration;

/** Event variables (doorbells): how long an unused one is kept, and how many may exist. */
public record EventConfig(Duration expiry, int maxVariables) {}
