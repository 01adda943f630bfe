package dev.smarthost.spring;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Reads the settings once at startup. A problem (a missing file, a bad key) is a WARN naming the
 * source and the key, and the application starts: the cluster may fix the settings later, and a
 * change reaches the next send. With {@code smarthost.validate-on-startup=true} (like Spring's
 * {@code spring.mail.test-connection}) a problem, or a failed connection check, stops the
 * application instead, with Spring Boot's failure report.
 */
final class StartupCheck implements InitializingBean {
  private static final Logger LOG = LoggerFactory.getLogger(SmarthostAutoConfiguration.class);

  private final SmarthostResolver resolver;
  private final SmtpConnectionValidator validator;
  private final String source;
  private final boolean validate;

  StartupCheck(
      SmarthostResolver resolver,
      SmtpConnectionValidator validator,
      String source,
      boolean validate) {
    this.resolver = resolver;
    this.validator = validator;
    this.source = source;
    this.validate = validate;
  }

  @Override
  public void afterPropertiesSet() {
    Optional<SmarthostSettings> settings;
    try {
      settings = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      if (validate) {
        throw new SmarthostStartupException.CheckFailed(
            "The smarthost settings from " + source + " are unusable: " + e.getMessage(),
            "Fix the settings, or set smarthost.validate-on-startup=false to start anyway"
                + " (sending then fails until they are fixed).");
      }
      LOG.warn(
          "smarthost: the settings from {} are unusable: {}. The application starts; sending fails"
              + " until they are fixed (a change is picked up without a restart).",
          source,
          e.getMessage());
      return;
    }
    if (settings.isEmpty()) {
      LOG.info("smarthost: e-mail is switched off in {}", source);
      return;
    }
    if (!validate) {
      return;
    }
    ValidationResult result = validator.validate(settings.get());
    Optional<SmtpFailure> failure = result.failure();
    if (failure.isPresent()) {
      SmtpFailure f = failure.get();
      throw new SmarthostStartupException.CheckFailed(
          "The smarthost check of "
              + settings.get().authority()
              + " (from "
              + source
              + ") failed: "
              + f.kind()
              + (f.replyCode().isPresent() ? " " + f.replyCode().getAsInt() : "")
              + f.reply().map(r -> " \"" + r + "\"").orElse(""),
          SpringHints.hint(f) + " Or set smarthost.validate-on-startup=false to start anyway.");
    }
    LOG.info("smarthost: {} passed its check at startup", settings.get().authority());
  }
}
