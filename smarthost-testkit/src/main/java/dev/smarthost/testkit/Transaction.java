package dev.smarthost.testkit;

import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The envelope and session facts of one message the front accepted. */
final class Transaction {
  final String id;
  final String heloName;
  final String sender;
  final List<String> recipients;
  final @Nullable String authenticatedUser;
  final @Nullable String tlsProtocol;
  final MimeMessage message;

  Transaction(
      String id,
      String heloName,
      String sender,
      List<String> recipients,
      @Nullable String authenticatedUser,
      @Nullable String tlsProtocol,
      MimeMessage message) {
    this.id = id;
    this.heloName = heloName;
    this.sender = sender;
    this.recipients = List.copyOf(recipients);
    this.authenticatedUser = authenticatedUser;
    this.tlsProtocol = tlsProtocol;
    this.message = message;
  }
}
