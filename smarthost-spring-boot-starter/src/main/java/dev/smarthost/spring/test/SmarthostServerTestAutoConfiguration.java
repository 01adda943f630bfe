package dev.smarthost.spring.test;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.spring.SmarthostAutoConfiguration;
import dev.smarthost.testkit.SmarthostServer;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The beans of {@link AutoConfigureSmarthostServer}, ahead of the starter's own, which back off for
 * them.
 */
@AutoConfiguration(before = SmarthostAutoConfiguration.class)
public class SmarthostServerTestAutoConfiguration {
  /** Creates the configuration; Spring calls it. */
  public SmarthostServerTestAutoConfiguration() {}

  /**
   * The server, unless the test defines its own: STARTTLS with its own CA.
   *
   * @return the started server; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SmarthostServer smarthostServer() {
    return SmarthostServer.builder().start();
  }

  /**
   * Settings that point at the server.
   *
   * @param server the server
   * @return the resolver
   */
  @Bean
  @ConditionalOnMissingBean
  public SmarthostResolver smarthostResolver(SmarthostServer server) {
    return () -> Optional.of(server.settings());
  }

  /**
   * Options that trust the server's CA.
   *
   * @param server the server
   * @return the options
   */
  @Bean
  @ConditionalOnMissingBean
  public SmtpOptions smarthostSmtpOptions(SmarthostServer server) {
    return server.smtpOptions();
  }
}
