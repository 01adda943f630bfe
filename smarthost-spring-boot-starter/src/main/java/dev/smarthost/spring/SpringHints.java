package dev.smarthost.spring;

import dev.smarthost.SmtpFailure;

/** A failure's hint, told in Spring Boot's terms where the fix is a property. */
final class SpringHints {
  private SpringHints() {}

  static String hint(SmtpFailure failure) {
    return switch (failure.kind()) {
      case CERTIFICATE_UNTRUSTED ->
          failure.hint()
              + " In Spring Boot: name an SSL bundle with the CA in smarthost.ssl.bundle"
              + " (spring.ssl.bundle.jks.<name>.truststore.location or"
              + " spring.ssl.bundle.pem.<name>.truststore.certificate).";
      case CONNECT_TIMEOUT, READ_TIMEOUT ->
          failure.hint() + " In Spring Boot: smarthost.connect-timeout and smarthost.read-timeout.";
      default -> failure.hint();
    };
  }
}
