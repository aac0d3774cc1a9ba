package dev.addressable.bench.jmh;

import dev.addressable.relay.config.RelayConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds relay core objects for the benchmarks from the relay's default settings, choosing each
 * constructor's arguments by type. The core's constructors gain parameters as the relay grows
 * (a parker, topics, …); wiring by type at setup keeps the benchmarks compiling and measuring the
 * same calls meanwhile. Setup only: nothing here runs inside a measured method.
 */
final class Wiring {

  private final List<Object> known = new ArrayList<>();

  Wiring() {
    RelayConfig config = RelayConfig.defaults();
    known.add(config);
    for (RecordComponent c : RelayConfig.class.getRecordComponents()) {
      try {
        known.add(c.getAccessor().invoke(config));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    known.add((LongSupplier) System::currentTimeMillis);
    known.add((Executor) Runnable::run); // wake-ups run on the sending thread
  }

  /** Registers an instance to be used wherever its type is asked for. */
  <T> T with(T instance) {
    known.add(0, instance);
    return instance;
  }

  <T> T build(Class<T> type) {
    for (Object o : known) {
      if (type.isInstance(o)) {
        return type.cast(o);
      }
    }
    Constructor<?>[] constructors = type.getConstructors();
    if (constructors.length == 0) {
      throw new IllegalStateException("no public constructor to build " + type.getName());
    }
    Arrays.sort(constructors, Comparator.comparingInt(Constructor::getParameterCount));
    Constructor<?> chosen = constructors[0];
    Object[] args = new Object[chosen.getParameterCount()];
    Class<?>[] params = chosen.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      args[i] = value(params[i]);
    }
    try {
      return with(type.cast(chosen.newInstance(args)));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName(), e);
    }
  }

  private Object value(Class<?> type) {
    if (type == int.class) {
      return 100_000;
    }
    if (type == long.class) {
      return 100_000L;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == String.class) {
      return "bench";
    }
    if (type == byte[].class) {
      return new byte[32]; // a secret (KeyRing wants at least 32 bytes)
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(60);
    }
    return build(type);
  }
}
