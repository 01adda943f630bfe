package dev.smarthost.spring;

import java.time.Duration;
import org.springframework.validation.Errors;

/** The ranges of the {@code smarthost.*} values, checked when Spring binds them. */
final class PropertyRules {
  private PropertyRules() {}

  static void check(SmarthostProperties p, Errors errors) {
    socketTimeout(errors, "connectTimeout", p.getConnectTimeout());
    socketTimeout(errors, "readTimeout", p.getReadTimeout());
    socketTimeout(errors, "writeTimeout", p.getWriteTimeout());
    String ehlo = p.getEhloName();
    if (ehlo != null && !ehlo.isBlank() && !ehlo.matches("[\\x21-\\x7e]+")) {
      errors.rejectValue("ehloName", "name", "must be a host name, without spaces or controls");
    }
    MailerProperties m = p.getMailer();
    atLeastOne(errors, "mailer.maxConnections", m.getMaxConnections());
    atLeastOne(errors, "mailer.maxAttempts", m.getMaxAttempts());
    atLeastOne(errors, "mailer.queueCapacity", m.getQueueCapacity());
    atLeastOne(errors, "mailer.maxMessagesPerConnection", m.getMaxMessagesPerConnection());
    positive(errors, "mailer.maxConnectionAge", m.getMaxConnectionAge());
    positive(errors, "mailer.idleTimeout", m.getIdleTimeout());
    notNegative(errors, "mailer.retryBackoff", m.getRetryBackoff());
    positive(errors, "mailer.acquireTimeout", m.getAcquireTimeout());
    positive(errors, "mailer.sendTimeout", m.getSendTimeout());
    positive(errors, "mailer.closeTimeout", m.getCloseTimeout());
    positive(errors, "health.deadline", p.getHealth().getDeadline());
    notNegative(errors, "health.cacheFor", p.getHealth().getCacheFor());
    positive(errors, "outbox.maxPendingAge", p.getOutbox().getMaxPendingAge());
    String bundle = p.getSsl().getBundle();
    if (bundle != null && bundle.isBlank()) {
      errors.rejectValue("ssl.bundle", "blank", "must name an SSL bundle, or be left out");
    }
  }

  private static void atLeastOne(Errors errors, String field, int value) {
    if (value < 1) {
      errors.rejectValue(field, "min", "must be at least 1");
    }
  }

  private static void positive(Errors errors, String field, Duration value) {
    if (value.isNegative() || value.isZero()) {
      errors.rejectValue(field, "positive", "must be longer than 0");
    }
  }

  private static void socketTimeout(Errors errors, String field, Duration value) {
    positive(errors, field, value);
    if (value.toMillis() > Integer.MAX_VALUE) {
      errors.rejectValue(field, "max", "must be at most " + Integer.MAX_VALUE + " ms");
    }
  }

  private static void notNegative(Errors errors, String field, Duration value) {
    if (value.isNegative()) {
      errors.rejectValue(field, "negative", "must not be negative");
    }
  }
}
