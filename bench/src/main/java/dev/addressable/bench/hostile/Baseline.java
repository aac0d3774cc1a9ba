package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** No attack: the probes alone, so every attack has an undisturbed figure to be read against. */
final class Baseline implements Attack {

  @Override
  public String name() {
    return "baseline";
  }

  @Override
  public void prepare() {
    // nothing
  }

  @Override
  public void start() {
    // nothing
  }

  @Override
  public String progress() {
    return "no attack";
  }

  @Override
  public void stop() {
    // nothing
  }

  @Override
  public void writeTo(ObjectNode figures) {
    figures.put("summary", "no attack: the probes alone");
  }
}
