package dev.smarthost.core.send;

import dev.smarthost.FailureKind;
import dev.smarthost.SmtpFailure;
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
    private final SmtpFailure failure;

    RejectedRecipient(String address, SmtpFailure failure) {
      this.address = Objects.requireNonNull(address);
      this.failure = Objects.requireNonNull(failure);
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
     * Returns why it was refused: {@link FailureKind#RECIPIENT_REJECTED} for a permanent refusal,
     * {@link FailureKind#SERVER_UNAVAILABLE} for a temporary one, with the server's reply.
     *
     * @return the failure
     */
    public SmtpFailure failure() {
      return failure;
    }

    /**
     * Returns the classified reason; a shortcut for {@code failure().kind()}.
     *
     * @return the kind
     */
    public FailureKind kind() {
      return failure.kind();
    }

    /**
     * Returns the server's reply code; a shortcut for {@code failure().replyCode()}.
     *
     * @return for example 550, or empty
     */
    public OptionalInt replyCode() {
      return failure.replyCode();
    }

    /**
     * Returns the server's reply; a shortcut for {@code failure().reply()}.
     *
     * @return the reply, or empty
     */
    public Optional<String> reply() {
      return failure.reply();
    }

    @Override
    public String toString() {
      return address + " (" + failure.reply().orElse(failure.kind().name()) + ")";
    }
  }
}
