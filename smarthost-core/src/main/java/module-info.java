/**
 * Sending through the cluster's smarthost: settings sources with live reload, the {@code
 * jakarta.mail.Session} factory, the pooled and pipelined {@link
 * dev.smarthost.core.send.SmarthostMailer}, the durable {@link
 * dev.smarthost.core.outbox.FileOutbox}, the settings check ({@link
 * dev.smarthost.core.check.SmtpConnectionValidator}) and OAuth 2.0 client credentials.
 */
@org.jspecify.annotations.NullMarked
// "requires-automatic": the Nimbus SDK
// has no module name of its own, so its name comes from the jar.
@SuppressWarnings("requires-automatic")
module dev.smarthost.core {
  requires transitive dev.smarthost.api;
  requires transitive jakarta.mail;
  requires org.eclipse.angus.mail;
  requires org.slf4j;
  // Optional: only OAuth 2.0 settings need it (the jar has no module name of its own).
  requires static oauth2.oidc.sdk;
  requires static transitive org.jspecify;

  exports dev.smarthost.core.settings;
  exports dev.smarthost.core.session;
  exports dev.smarthost.core.send;
  exports dev.smarthost.core.outbox;
  exports dev.smarthost.core.check;
  exports dev.smarthost.core.oauth2;
  // jakarta.mail.Session instantiates the transport reflectively. No other smarthost module
  // reads this package: what they need is public API (SettingsPublisher, MailInstance.fromRecord).
  exports dev.smarthost.core.internal to
      jakarta.mail;
}
