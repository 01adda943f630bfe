package dev.smarthost.spring;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter with Spring Boot's own metrics auto-configurations, as in an app with actuator. */
final class BootMetrics {
  private BootMetrics() {}

  static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration
                    .class,
                org.springframework.boot.micrometer.metrics.autoconfigure
                    .CompositeMeterRegistryAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.export.simple
                    .SimpleMetricsExportAutoConfiguration.class,
                SmarthostAutoConfiguration.class));
  }
}
