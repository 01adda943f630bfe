package dev.smarthost.spring;

/**
 * Why the starter stops an application at startup; {@link SmarthostStartupFailureAnalyzer} turns it
 * into Spring Boot's "APPLICATION FAILED TO START" report with what to do.
 */
abstract sealed class SmarthostStartupException extends RuntimeException
    permits SmarthostStartupException.CheckFailed, SmarthostStartupException.UnsupportedBoot {
  private static final long serialVersionUID = 1L;

  private final String action;

  private SmarthostStartupException(String description, String action) {
    super(description);
    this.action = action;
  }

  String action() {
    return action;
  }

  /** {@code smarthost.validate-on-startup=true} and the settings or the connection check failed. */
  static final class CheckFailed extends SmarthostStartupException {
    private static final long serialVersionUID = 1L;

    CheckFailed(String description, String action) {
      super(description, action);
    }
  }

  /** The application runs a Spring Boot the starter does not support. */
  static final class UnsupportedBoot extends SmarthostStartupException {
    private static final long serialVersionUID = 1L;

    UnsupportedBoot(String description, String action) {
      super(description, action);
    }
  }
}
