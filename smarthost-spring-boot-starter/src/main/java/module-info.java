/**
 * Spring Boot auto-configuration for smarthost: a {@code JavaMailSender} that sends through {@link
 * dev.smarthost.core.send.SmarthostMailer} and follows the administrator's changes, a health
 * indicator and Micrometer metrics; in {@code dev.smarthost.spring.test}, a real local smarthost
 * for an application's own tests.
 */
@org.jspecify.annotations.NullMarked
// The Nimbus SDK (OAuth 2.0 tokens) has no module name of its own; requiring it here resolves it
// for core, which needs it only for OAuth 2.0 settings.
@SuppressWarnings("requires-automatic")
module dev.smarthost.spring {
  requires transitive dev.smarthost.core;
  requires static dev.smarthost.redis;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.beans;
  requires transitive spring.context;
  requires transitive spring.context.support;
  requires transitive spring.core;
  requires static transitive spring.boot.health;
  requires static transitive micrometer.core;
  requires static transitive org.jspecify;
  requires static transitive dev.smarthost.testkit;
  requires static transitive spring.test;
  requires org.slf4j;
  requires oauth2.oidc.sdk;

  exports dev.smarthost.spring;
  exports dev.smarthost.spring.test;

  opens dev.smarthost.spring to
      spring.core,
      spring.beans,
      spring.context;
  opens dev.smarthost.spring.test to
      spring.core,
      spring.beans,
      spring.context,
      spring.test;
}
