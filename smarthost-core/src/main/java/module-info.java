/**
 * Sending through the cluster's smarthost: settings sources with live reload, the {@code
 * jakarta.mail.Session} factory, the pooled and pipelined {@link
 * dev.smarthost.core.SmarthostMailer}, the durable {@link dev.smarthost.core.FileOutbox}, the
 * settings check ({@link dev.smarthost.core.SmtpConnectionValidator}) and OAuth 2.0 client
 * credentials.
 */
@org.jspecify.annotations.NullMarked
// "module": dev.smarthost.redis is built after this module; "requires-automatic": the Nimbus SDK
// has no module name of its own, so its name comes from the jar.
@SuppressWarnings({"module", "requires-automatic"})
module dev.smarthost.core {
  requires transitive dev.smarthost.api;
  requires transitive jakarta.mail;
  requires org.eclipse.angus.mail;
  requires org.slf4j;
  // Optional: only OAuth 2.0 settings need it (the jar has no module name of its own).
  requires static oauth2.oidc.sdk;
  requires static transitive org.jspecify;

  exports dev.smarthost.core;
  // jakarta.mail.Session instantiates the transport reflectively; smarthost-redis uses
  // LastGoodSettings, Subscribers, MailInstanceFields (the Mail-instance record) and Checks.
  exports dev.smarthost.core.internal to
      jakarta.mail,
      dev.smarthost.redis;
}
