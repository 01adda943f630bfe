package dev.smarthost.testkit.internal;

import dev.smarthost.testkit.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The connection faults a connection took when it was accepted. */
public final class ActiveFaults {
  static final ActiveFaults NONE = new ActiveFaults(List.of());

  private final List<Fault> faults;

  ActiveFaults(List<Fault> faults) {
    this.faults = List.copyOf(faults);
  }

  boolean has(Fault.Kind kind) {
    return faults.stream().anyMatch(f -> f.kind() == kind);
  }

  Optional<Fault.Kind> certificate() {
    return faults.stream().map(Fault::kind).filter(Fault.Kind::isCertificate).findFirst();
  }

  Optional<Duration> greetingDelay() {
    return faults.stream().flatMap(f -> f.delay().stream()).findFirst();
  }

  /** The connection-level step fault (CONNECT or EHLO) of this kind at this step. */
  Optional<Fault> at(Fault.Step step) {
    return faults.stream().filter(f -> f.matches(step, null)).findFirst();
  }
}
