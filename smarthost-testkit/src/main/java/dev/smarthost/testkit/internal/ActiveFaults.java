package dev.smarthost.testkit.internal;

import dev.smarthost.testkit.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The connection faults a connection took when it was accepted. */
public final class ActiveFaults {
  static final ActiveFaults NONE = new ActiveFaults(List.of());

  private final List<Fault> faults;

  ActiveFaults(List<Fault> faults) {
    this.faults = List.copyOf(faults);
  }

  boolean has(Fault.Condition condition) {
    return faults.stream().anyMatch(f -> FaultRules.act(f) == condition);
  }

  Optional<Fault.Condition> certificate() {
    return faults.stream()
        .filter(FaultRules::isCertificate)
        .map(f -> (Fault.Condition) FaultRules.act(f))
        .findFirst();
  }

  Optional<Duration> greetingDelay() {
    return faults.stream()
        .map(FaultRules::act)
        .flatMap(f -> f instanceof Fault.SlowGreeting s ? Stream.of(s.delay()) : Stream.empty())
        .findFirst();
  }

  /** The connection-level step fault (CONNECT or EHLO) of this kind at this step. */
  Optional<Fault> at(Fault.Step step) {
    return faults.stream().filter(f -> FaultRules.matches(f, step, null)).findFirst();
  }
}
