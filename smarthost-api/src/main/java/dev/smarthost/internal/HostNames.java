package dev.smarthost.internal;

import java.net.IDN;
import java.util.Locale;

/** Validates and normalizes a smarthost host: DNS name (IDN to punycode), IPv4 or IPv6 literal. */
public final class HostNames {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostNames() {}

  /**
   * Returns the normalized host: lower case, IDN as punycode, IPv6 without brackets.
   *
   * @throws IllegalArgumentException naming the field {@code host}
   */
  public static String normalize(String host) {
    if (host.isEmpty()) {
      throw invalid("must not be empty");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (Character.isISOControl(c)) {
        throw invalid("must not contain control characters");
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw invalid("must not contain spaces, but was '" + host + "'");
      }
    }
    if (host.startsWith("[") || host.endsWith("]")) {
      if (!(host.startsWith("[") && host.endsWith("]"))
          || !isIpv6(host.substring(1, host.length() - 1))) {
        throw invalid("'" + host + "' is not a bracketed IPv6 address");
      }
      return host.substring(1, host.length() - 1).toLowerCase(Locale.ROOT);
    }
    if (host.indexOf(':') >= 0) {
      if (!isIpv6(host)) {
        throw invalid("'" + host + "' is not an IPv6 address");
      }
      return host.toLowerCase(Locale.ROOT);
    }
    if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      if (!isIpv4(host)) {
        throw invalid("'" + host + "' is not an IPv4 address");
      }
      return host;
    }
    return dnsName(host);
  }

  /** Returns {@code host} bracketed if it is an IPv6 literal, for {@code host:port} strings. */
  public static String bracketed(String normalizedHost) {
    return normalizedHost.indexOf(':') >= 0 ? "[" + normalizedHost + "]" : normalizedHost;
  }

  private static String dnsName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String ascii;
    try {
      ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw invalid("'" + host + "' is not a valid host name");
    }
    if (ascii.isEmpty() || ascii.length() > MAX_NAME_LENGTH) {
      throw invalid("'" + host + "' is not a valid host name (length)");
    }
    for (String label : ascii.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
        throw invalid("'" + host + "' is not a valid host name (label length)");
      }
    }
    return ascii;
  }

  /**
   * Whether a host is a loopback address written as an address ({@code 127.0.0.0/8}, {@code ::1}):
   * no name, so nothing a resolver could map elsewhere.
   */
  public static boolean isLoopbackLiteral(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    h = h.toLowerCase(java.util.Locale.ROOT);
    if (isIpv4(h)) {
      return h.startsWith("127.");
    }
    return isIpv6(h) && java.util.Arrays.equals(ipv6Bytes(h), LOOPBACK_V6);
  }

  private static final byte[] LOOPBACK_V6 = new byte[16];

  static {
    LOOPBACK_V6[15] = 1;
  }

  private static byte[] ipv6Bytes(String literal) {
    try {
      // A literal, so no lookup happens.
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      return new byte[0];
    }
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (p.charAt(i) < '0' || p.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    String address = s;
    int percent = s.indexOf('%');
    if (percent >= 0) {
      String zone = s.substring(percent + 1);
      if (zone.isEmpty()
          || !zone.chars()
              .allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
        return false;
      }
      address = s.substring(0, percent);
    }
    int gap = address.indexOf("::");
    if (gap >= 0) {
      if (gap != address.lastIndexOf("::")) {
        return false;
      }
      String right = address.substring(gap + 2);
      int left = groups(address.substring(0, gap), false);
      int rightCount = groups(right, true);
      return left >= 0 && rightCount >= 0 && left + rightCount <= 7;
    }
    return groups(address, true) == 8;
  }

  /** Counts 16-bit groups in a colon-separated part; -1 if malformed. */
  private static int groups(String part, boolean ipv4TailAllowed) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] groups = part.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (ipv4TailAllowed && i == groups.length - 1 && g.indexOf('.') >= 0) {
        if (!isIpv4(g)) {
          return -1;
        }
        count += 2;
      } else if (g.length() >= 1 && g.length() <= 4 && g.chars().allMatch(HostNames::isHexDigit)) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** An invalid host; {@link #problem} is the message without the field name. */
  public static final class InvalidHost extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public final String problem;

    InvalidHost(String problem) {
      super("host: " + problem);
      this.problem = problem;
    }
  }

  private static InvalidHost invalid(String problem) {
    return new InvalidHost(problem);
  }
}
