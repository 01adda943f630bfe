package dev.smarthost.cli.report;

import dev.smarthost.SmtpFailure;

/** A failure's hint, told with the command line's own options where the fix is one. */
public final class CliHints {
  private CliHints() {}

  static String hint(SmtpFailure failure) {
    return switch (failure.kind()) {
      case CERTIFICATE_UNTRUSTED ->
          failure.hint() + " Here: --trust-store FILE with the CA (PEM, PKCS12 or JKS).";
      case CERTIFICATE_NAME_MISMATCH, CERTIFICATE_EXPIRED ->
          failure.hint() + " Here: --no-verify-tls checks without verifying (never for real use).";
      case CONNECT_TIMEOUT, READ_TIMEOUT, NO_GREETING ->
          failure.hint() + " Here: --timeout sets how long the check may take.";
      default -> failure.hint();
    };
  }
}
