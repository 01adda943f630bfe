package dev.smarthost.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The faults in force when a connection was accepted. */
final class ActiveFaults {
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

  Optional<String> rejection(Fault.Step step) {
    return faults.stream()
        .filter(f -> f.step().orElse(null) == step)
        .flatMap(f -> f.reply().stream())
        .findFirst();
  }

  boolean stalls(Fault.Step step) {
    return faults.stream()
        .anyMatch(f -> f.kind() == Fault.Kind.STALL && f.step().orElse(null) == step);
  }

  ActiveFaults with(Fault fault) {
    List<Fault> next = new java.util.ArrayList<>(faults);
    next.removeIf(fault::replaces);
    next.add(fault);
    return new ActiveFaults(next);
  }

  List<Fault> list() {
    return faults;
  }
}
