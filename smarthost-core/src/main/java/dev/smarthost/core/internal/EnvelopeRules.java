package dev.smarthost.core.internal;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.IDN;
import org.jspecify.annotations.Nullable;

/**
 * What every envelope address must be before anything goes on the wire, on both paths (ours and
 * Angus'): no line break or other control character (a caller's mistake, refused as permanent, not
 * an SMTP error), and either ASCII, or sent with SMTPUTF8 (RFC 6531), or — a non-ASCII domain with
 * an ASCII local part — as its A-label. Never an address other than the one given.
 */
final class EnvelopeRules {
  private EnvelopeRules() {}

  /** The envelope sender as Angus takes it: {@code mail.smtp.from}, else the first From. */
  static @Nullable String sender(Session session, Message message) throws MessagingException {
    String from = session.getProperty("mail.smtp.from");
    if (from != null && !from.isEmpty()) {
      return from;
    }
    Address[] fa;
    try {
      fa = message.getFrom();
    } catch (AddressException e) {
      throw new RefusedLocallyException(
          RefusedLocallyException.Reason.SENDER_ADDRESS,
          "the From address cannot be read as an address ("
              + e.getMessage()
              + "); nothing was sent");
    }
    Address me = fa != null && fa.length > 0 ? fa[0] : InternetAddress.getLocalAddress(session);
    return me instanceof InternetAddress ia ? ia.getAddress() : null;
  }

  /**
   * Refuses an address with a control character (CR, LF, NUL…): it would end the command early, or
   * be refused by the server as a syntax error that a retry cannot fix.
   */
  static void checkControls(@Nullable String sender, Address @Nullable [] recipients)
      throws RefusedLocallyException {
    if (sender != null && hasControl(sender)) {
      throw new RefusedLocallyException(
          RefusedLocallyException.Reason.SENDER_ADDRESS,
          "the envelope sender contains a line break or control character; nothing was sent");
    }
    if (recipients != null) {
      for (Address a : recipients) {
        if (a instanceof InternetAddress ia && hasControl(ia.getAddress())) {
          throw new RefusedLocallyException(
              RefusedLocallyException.Reason.RECIPIENT_ADDRESS,
              "a recipient address contains a line break or control character; nothing was sent");
        }
      }
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  static boolean ascii(@Nullable String s) {
    return s == null || s.chars().allMatch(c -> c < 0x80);
  }

  /** Whether any of these envelope addresses is not ASCII. */
  static boolean needsUtf8(@Nullable String sender, Address @Nullable [] recipients) {
    if (!ascii(sender)) {
      return true;
    }
    if (recipients != null) {
      for (Address a : recipients) {
        if (a instanceof InternetAddress ia && !ascii(ia.getAddress())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The address as it goes to a server without SMTPUTF8: unchanged if ASCII, with its domain as
   * A-label if only the domain is not ASCII.
   *
   * @throws RefusedLocallyException naming the address if its local part is not ASCII
   */
  static String withoutUtf8(String address) throws RefusedLocallyException {
    if (ascii(address)) {
      return address;
    }
    int at = address.lastIndexOf('@');
    if (at > 0 && ascii(address.substring(0, at))) {
      try {
        return address.substring(0, at + 1) + IDN.toASCII(address.substring(at + 1));
      } catch (IllegalArgumentException e) {
        // not a valid IDN: refused below
      }
    }
    throw new RefusedLocallyException(
        RefusedLocallyException.Reason.NEEDS_SMTPUTF8,
        "<"
            + address
            + "> is not ASCII and the server does not offer SMTPUTF8 (RFC 6531), so it cannot go"
            + " as written; nothing was sent");
  }
}
