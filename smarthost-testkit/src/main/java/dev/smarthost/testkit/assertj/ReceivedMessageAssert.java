package dev.smarthost.testkit.assertj;

import dev.smarthost.testkit.ReceivedMessage;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one {@link ReceivedMessage}. */
public final class ReceivedMessageAssert
    extends AbstractAssert<ReceivedMessageAssert, ReceivedMessage> {

  ReceivedMessageAssert(ReceivedMessage message) {
    super(message, ReceivedMessageAssert.class);
  }

  /**
   * Checks the decoded {@code Subject} header.
   *
   * @param subject the expected subject
   * @return this assertion
   */
  public ReceivedMessageAssert hasSubject(String subject) {
    isNotNull();
    Optional<String> actualSubject = actual.subject();
    if (!actualSubject.equals(Optional.of(subject))) {
      throw failure(
          "expected subject <%s> but was <%s> in %s", subject, actualSubject.orElse(null), actual);
    }
    return this;
  }

  /**
   * Checks that the envelope has this recipient.
   *
   * @param address the address given in {@code RCPT TO}
   * @return this assertion
   */
  public ReceivedMessageAssert hasRecipient(String address) {
    isNotNull();
    if (!actual.recipients().contains(address)) {
      throw failure(
          "expected envelope recipient <%s> but recipients were %s", address, actual.recipients());
    }
    return this;
  }

  /**
   * Checks the envelope sender.
   *
   * @param address the address given in {@code MAIL FROM}
   * @return this assertion
   */
  public ReceivedMessageAssert hasEnvelopeSender(String address) {
    isNotNull();
    if (!actual.envelopeSender().equals(address)) {
      throw failure("expected envelope sender <%s> but was <%s>", address, actual.envelopeSender());
    }
    return this;
  }

  /**
   * Checks that one value of a header equals {@code value}.
   *
   * @param name the header name
   * @param value the expected value
   * @return this assertion
   */
  public ReceivedMessageAssert hasHeader(String name, String value) {
    isNotNull();
    if (!actual.headers(name).contains(value)) {
      throw failure(
          "expected header %s: <%s> but values were %s", name, value, actual.headers(name));
    }
    return this;
  }

  /**
   * Checks that the text body contains {@code text}.
   *
   * @param text the expected fragment
   * @return this assertion
   */
  public ReceivedMessageAssert hasBodyContaining(String text) {
    isNotNull();
    String body = actual.body();
    if (!body.contains(text)) {
      throw failure("expected body to contain <%s> but was <%s>", text, body);
    }
    return this;
  }

  /**
   * Checks the HTML part.
   *
   * @param text what the HTML must contain
   * @return this assertion
   */
  public ReceivedMessageAssert hasHtmlContaining(String text) {
    isNotNull();
    java.util.Optional<String> html = actual.html();
    if (html.isEmpty()) {
      throw failure("expected an HTML part containing <%s> but the message has none", text);
    }
    if (!html.get().contains(text)) {
      throw failure("expected the HTML to contain <%s> but was <%s>", text, html.get());
    }
    return this;
  }

  /**
   * Checks that the message has an attachment with this file name and content type.
   *
   * @param name the file name
   * @param contentType the content type without parameters, e.g. {@code application/pdf}
   * @return this assertion
   */
  public ReceivedMessageAssert hasAttachment(String name, String contentType) {
    isNotNull();
    java.util.List<dev.smarthost.testkit.ReceivedMessage.Attachment> attachments =
        actual.attachments();
    if (attachments.stream()
        .noneMatch(a -> a.name().equals(name) && a.contentType().equalsIgnoreCase(contentType))) {
      throw failure(
          "expected an attachment <%s> of type <%s> but the message has %s",
          name, contentType, attachments);
    }
    return this;
  }

  /**
   * Checks that the message travelled over TLS.
   *
   * @return this assertion
   */
  public ReceivedMessageAssert wasEncrypted() {
    isNotNull();
    if (!actual.encrypted()) {
      throw failure(
          "expected the message to arrive over TLS but it came in clear text: %s", actual);
    }
    return this;
  }

  /**
   * Checks that the client sent the transaction pipelined (RFC 2920): commands ahead of the
   * replies.
   *
   * @return this assertion
   */
  public ReceivedMessageAssert wasPipelined() {
    isNotNull();
    if (!actual.pipelined()) {
      throw failure(
          "expected the client to pipeline MAIL, RCPT and the message command, but it waited for"
              + " each reply: %s",
          actual);
    }
    return this;
  }

  /**
   * Checks that the message came with BDAT (RFC 3030 CHUNKING) rather than DATA.
   *
   * @return this assertion
   */
  public ReceivedMessageAssert wasChunked() {
    isNotNull();
    if (!actual.chunked()) {
      throw failure("expected the message to come with BDAT but it came with DATA: %s", actual);
    }
    return this;
  }

  /**
   * Checks that the message travelled in clear text.
   *
   * @return this assertion
   */
  public ReceivedMessageAssert wasNotEncrypted() {
    isNotNull();
    if (actual.encrypted()) {
      throw failure(
          "expected clear text but the message arrived over %s",
          actual.tlsProtocol().orElse("TLS"));
    }
    return this;
  }

  /**
   * Checks that the sending session authenticated as {@code user}.
   *
   * @param user the expected user name
   * @return this assertion
   */
  public ReceivedMessageAssert wasAuthenticatedAs(String user) {
    isNotNull();
    Objects.requireNonNull(user, "user");
    if (!actual.authenticatedUser().equals(Optional.of(user))) {
      throw failure(
          "expected the session to authenticate as <%s> but it %s",
          user,
          actual
              .authenticatedUser()
              .map(u -> "authenticated as <" + u + ">")
              .orElse("did not authenticate"));
    }
    return this;
  }

  /**
   * Checks that the sending session did not authenticate.
   *
   * @return this assertion
   */
  public ReceivedMessageAssert wasNotAuthenticated() {
    isNotNull();
    if (actual.authenticatedUser().isPresent()) {
      throw failure(
          "expected no authentication but the session authenticated as <%s>",
          actual.authenticatedUser().get());
    }
    return this;
  }
}
