package dev.smarthost.core.session;

import java.util.List;
import java.util.Locale;

/**
 * What {@link SmtpOptions.Builder} accepts beyond a duration: an EHLO name, TLS protocol names and
 * SASL mechanisms. Each check names the setting and the value it refused.
 */
final class OptionChecks {
  /** This machine's name from {@code HOSTNAME} if it is a plain host name, else localhost. */
  static final String DEFAULT_EHLO_NAME = ehloNameFromEnvironment();

  private static final List<String> PASSWORD_MECHANISMS =
      List.of("PLAIN", "LOGIN", "DIGEST-MD5", "NTLM");

  private OptionChecks() {}

  /** A name to announce in {@code EHLO}: not empty, no spaces or control characters. */
  static String ehloName(String name) {
    if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "ehloName: must be a non-empty name without spaces, but was '" + name + "'");
    }
    return name;
  }

  /** At least one protocol name, none blank or with a space. */
  static List<String> tlsProtocols(List<String> protocols) {
    List<String> copy = List.copyOf(protocols);
    if (copy.isEmpty() || copy.stream().anyMatch(p -> p.isBlank() || p.contains(" "))) {
      throw new IllegalArgumentException(
          "tlsProtocols: must name at least one protocol, but was " + copy);
    }
    return copy;
  }

  /** One or more of the password mechanisms Angus has, upper case. */
  static List<String> authMechanisms(List<String> mechanisms) {
    List<String> upper = mechanisms.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    if (upper.isEmpty() || !PASSWORD_MECHANISMS.containsAll(upper)) {
      throw new IllegalArgumentException(
          "authMechanisms: must be one or more of "
              + PASSWORD_MECHANISMS
              + ", but was "
              + mechanisms);
    }
    return List.copyOf(upper);
  }

  private static String ehloNameFromEnvironment() {
    String name = System.getenv("HOSTNAME");
    if (name != null && !name.isEmpty() && name.chars().allMatch(OptionChecks::isNameChar)) {
      return name;
    }
    return "localhost";
  }

  private static boolean isNameChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.';
  }
}
