package dev.smarthost.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.mail.MailSender;

/**
 * Replaces Spring's generic "required a bean of type JavaMailSender" with what to set when the
 * starter is on the class path but no smarthost source is configured. Runs before Spring Boot's own
 * analyzer of missing beans.
 */
public final class NoSmarthostSourceFailureAnalyzer
    extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> implements Ordered {

  /** Creates the analyzer; Spring Boot calls it. */
  public NoSmarthostSourceFailureAnalyzer() {}

  @Override
  protected @Nullable FailureAnalysis analyze(
      Throwable rootFailure, NoSuchBeanDefinitionException cause) {
    Class<?> type = cause.getBeanType();
    if (type == null || !MailSender.class.isAssignableFrom(type)) {
      return null;
    }
    return new FailureAnalysis(
        "A "
            + type.getSimpleName()
            + " is required, and the smarthost starter is on the class path, but no smarthost"
            + " source is configured, so the starter created no mail sender.",
        "Set one of: smarthost.env-file (the cluster's env file), smarthost.redis.uri (the"
            + " cluster's Redis, with dev.smarthost:smarthost-redis), or the SMTP_ENABLED and"
            + " SMTP_HOST environment variables; or define a SmarthostResolver bean.",
        cause);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
