package dev.smarthost.core.check;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Objects;

/**
 * A real message the validator sends after connecting, because connect and login can pass while
 * relaying fails (sender or recipient refused).
 */
public final class TestMessage {
  private final InternetAddress from;
  private final InternetAddress to;

  private TestMessage(InternetAddress from, InternetAddress to) {
    this.from = from;
    this.to = to;
  }

  /**
   * Creates a test message.
   *
   * @param from the sender address, e.g. {@code noreply@example.org}
   * @param to the recipient address
   * @return the message description
   * @throws IllegalArgumentException naming {@code from} or {@code to} if it is not one valid
   *     address
   */
  public static TestMessage of(String from, String to) {
    return new TestMessage(parse("from", from), parse("to", to));
  }

  private static InternetAddress parse(String field, String address) {
    Objects.requireNonNull(address, field);
    try {
      InternetAddress parsed = new InternetAddress(address, true);
      if (parsed.getAddress().indexOf('@') < 0) {
        throw new IllegalArgumentException(field + ": '" + address + "' has no domain");
      }
      return parsed;
    } catch (AddressException e) {
      throw new IllegalArgumentException(field + ": '" + address + "' is not an e-mail address");
    }
  }

  /**
   * Returns the sender.
   *
   * @return the address
   */
  public InternetAddress from() {
    return from;
  }

  /**
   * Returns the recipient.
   *
   * @return the address
   */
  public InternetAddress to() {
    return to;
  }

  @Override
  public String toString() {
    return "TestMessage{from=" + from.getAddress() + ", to=" + to.getAddress() + "}";
  }
}
