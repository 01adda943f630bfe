package dev.smarthost.testkit.internal;

import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The envelope and session facts of one message the front accepted.
 *
 * @param id the queue id the server answered with
 * @param heloName the name the client gave in EHLO or HELO
 * @param sender the envelope sender, as given in MAIL FROM
 * @param recipients the accepted envelope recipients, as given in RCPT TO
 * @param authenticatedUser who authenticated the session, or null
 * @param tlsProtocol the session's TLS protocol, or null in clear text
 * @param message the message as stored
 * @param pipelined whether commands arrived ahead of their replies
 * @param chunked whether the message came in BDAT chunks
 * @param mailParameters the parameters of MAIL FROM after the address ({@code SIZE=…}, {@code
 *     SMTPUTF8}, …), as sent
 * @param authMechanism the SASL mechanism the session logged in with, or null
 */
public record Transaction(
    String id,
    String heloName,
    String sender,
    List<String> recipients,
    @Nullable String authenticatedUser,
    @Nullable String tlsProtocol,
    MimeMessage message,
    boolean pipelined,
    boolean chunked,
    List<String> mailParameters,
    @Nullable String authMechanism) {
  public Transaction {
    recipients = List.copyOf(recipients);
    mailParameters = List.copyOf(mailParameters);
  }
}
