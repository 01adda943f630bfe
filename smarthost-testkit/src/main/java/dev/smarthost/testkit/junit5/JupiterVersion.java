package dev.smarthost.testkit.junit5;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The JUnit Jupiter version on the test class path, checked once against the oldest supported. */
final class JupiterVersion {
  static final int MIN_MAJOR = 5;
  static final int MIN_MINOR = 9;
  static final String MINIMUM = MIN_MAJOR + "." + MIN_MINOR;

  private static final @Nullable String UNSUPPORTED =
      unsupported(ExtensionContext.class.getPackage().getImplementationVersion());

  private JupiterVersion() {}

  static void requireSupported() {
    if (UNSUPPORTED != null) {
      throw new ExtensionConfigurationException(UNSUPPORTED);
    }
  }

  /**
   * The complaint about this version, or null when it is supported or unknown (a repackaged JUnit
   * without a manifest version is given the benefit of the doubt).
   */
  static @Nullable String unsupported(@Nullable String version) {
    if (version == null) {
      return null;
    }
    String[] parts = version.split("[.\\-]", 3);
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      if (major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR)) {
        return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return "smarthost-testkit needs JUnit Jupiter "
        + MINIMUM
        + " or newer; the test class path has "
        + version
        + " (set org.junit:junit-bom to "
        + MINIMUM
        + ".0 or newer)";
  }
}
