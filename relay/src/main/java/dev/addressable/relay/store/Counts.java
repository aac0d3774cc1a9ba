package dev.addressable.relay.store;

/** What a store holds, as far as it can tell without asking anyone: for {@code /health} and the gauges. */
public record Counts(int channels, int topics, int variables) {}
