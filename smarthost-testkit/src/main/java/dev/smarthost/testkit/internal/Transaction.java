package dev.smarthost.testkit.internal;

import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The envelope and session facts of one message the front accepted. */
public final class Transaction {
  public final String id;
  public final String heloName;
  public final String sender;
  public final List<String> recipients;
  public final @Nullable String authenticatedUser;
  public final @Nullable String tlsProtocol;
  public final MimeMessage message;
  public final boolean pipelined;
  public final boolean chunked;

  public Transaction(
      String id,
      String heloName,
      String sender,
      List<String> recipients,
      @Nullable String authenticatedUser,
      @Nullable String tlsProtocol,
      MimeMessage message,
      boolean pipelined,
      boolean chunked) {
    this.id = id;
    this.heloName = heloName;
    this.sender = sender;
    this.recipients = List.copyOf(recipients);
    this.authenticatedUser = authenticatedUser;
    this.tlsProtocol = tlsProtocol;
    this.message = message;
    this.pipelined = pipelined;
    this.chunked = chunked;
  }
}
