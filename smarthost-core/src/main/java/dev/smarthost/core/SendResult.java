package dev.smarthost.core;

import dev.smarthost.FailureKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * What the smarthost accepted: the recipients, those it refused (a partial delivery), how many
 * attempts it took and how long.
 */
public final class SendResult {
  private final @Nullable String messageId;
  private final String authority;
  private final List<String> acceptedRecipients;
  private final List<RejectedRecipient> rejectedRecipients;
  private final int attempts;
  private final Duration duration;

  SendResult(
      @Nullable String messageId,
      String authority,
      List<String> acceptedRecipients,
      List<RejectedRecipient> rejectedRecipients,
      int attempts,
      Duration duration) {
    this.messageId = messageId;
    this.authority = authority;
    this.acceptedRecipients = List.copyOf(acceptedRecipients);
    this.rejectedRecipients = List.copyOf(rejectedRecipients);
    this.attempts = attempts;
    this.duration = duration;
  }

  /**
   * Returns the message's {@code Message-ID} header.
   *
   * @return the id, if the message has one
   */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /**
   * Returns the smarthost that accepted the message.
   *
   * @return {@code host:port}
   */
  public String authority() {
    return authority;
  }

  /**
   * Returns the recipients the smarthost accepted.
   *
   * @return the addresses
   */
  public List<String> acceptedRecipients() {
    return acceptedRecipients;
  }

  /**
   * Returns the recipients the smarthost refused while accepting the message for the others.
   *
   * @return empty unless the delivery was partial
   */
  public List<RejectedRecipient> rejectedRecipients() {
    return rejectedRecipients;
  }

  /**
   * Returns whether some recipients were refused.
   *
   * @return true for a partial delivery
   */
  public boolean partial() {
    return !rejectedRecipients.isEmpty();
  }

  /**
   * Returns how many attempts the delivery took.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns how long the delivery took, retries included.
   *
   * @return the elapsed time
   */
  public Duration duration() {
    return duration;
  }

  @Override
  public String toString() {
    return "SendResult{"
        + authority
        + ", accepted="
        + acceptedRecipients
        + (partial() ? ", rejected=" + rejectedRecipients : "")
        + ", attempts="
        + attempts
        + "}";
  }

  /** A recipient the smarthost refused, with its reply. */
  public static final class RejectedRecipient {
    private final String address;
    private final FailureKind kind;
    private final int replyCode;
    private final @Nullable String reply;

    RejectedRecipient(String address, FailureKind kind, int replyCode, @Nullable String reply) {
      this.address = Objects.requireNonNull(address);
      this.kind = kind;
      this.replyCode = replyCode;
      this.reply = reply;
    }

    /**
     * Returns the refused address.
     *
     * @return the address
     */
    public String address() {
      return address;
    }

    /**
     * Returns the classified reason: {@link FailureKind#RECIPIENT_REJECTED} for a permanent
     * refusal, {@link FailureKind#SERVER_UNAVAILABLE} for a temporary one.
     *
     * @return the kind
     */
    public FailureKind kind() {
      return kind;
    }

    /**
     * Returns the server's reply code.
     *
     * @return for example 550, or empty
     */
    public OptionalInt replyCode() {
      return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
    }

    /**
     * Returns the server's reply.
     *
     * @return the reply, or empty
     */
    public Optional<String> reply() {
      return Optional.ofNullable(reply);
    }

    @Override
    public String toString() {
      return address + " (" + (reply != null ? reply : kind.name()) + ")";
    }
  }
}
