package dev.smarthost.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/** Spring Boot's startup failure report for the starter's own reasons to stop an application. */
public final class SmarthostStartupFailureAnalyzer implements FailureAnalyzer {

  /** Creates the analyzer; Spring Boot calls it. */
  public SmarthostStartupFailureAnalyzer() {}

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SmarthostStartupException cause) {
        return new FailureAnalysis(String.valueOf(cause.getMessage()), cause.action(), cause);
      }
    }
    return null;
  }
}
