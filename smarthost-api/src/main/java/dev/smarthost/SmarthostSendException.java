package dev.smarthost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A message could not be delivered to the smarthost: the classified {@link #failure()} (what
 * failed, the server's reply if it gave one, the hint), the recipients it refused, and how many
 * attempts were made. The message names the server and never a credential.
 */
public final class SmarthostSendException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /** Why it failed. */
  private final SmtpFailure failure;

  /** The recipients the server refused. */
  private final List<String> rejectedRecipients;

  /** How many attempts were made. */
  private final int attempts;

  private SmarthostSendException(Builder b, @Nullable Throwable cause) {
    super(message(b, b.failure()), cause);
    this.failure = b.failure();
    this.rejectedRecipients = List.copyOf(b.rejectedRecipients);
    this.attempts = b.attempts;
  }

  /**
   * Starts describing a failure.
   *
   * @param kind what failed
   * @param authority the server, as {@code host:port}
   * @return a builder
   */
  public static Builder builder(FailureKind kind, String authority) {
    return new Builder(SmtpFailure.builder(kind).build(), authority);
  }

  /**
   * Starts describing a failure that is already classified.
   *
   * @param failure what failed, with reply, hint and detail
   * @param authority the server, as {@code host:port}
   * @return a builder
   */
  public static Builder builder(SmtpFailure failure, String authority) {
    return new Builder(Objects.requireNonNull(failure, "failure"), authority);
  }

  /**
   * Returns the classified failure: kind, reply code, enhanced status, reply, hint and detail.
   *
   * @return the failure
   */
  public SmtpFailure failure() {
    return failure;
  }

  /**
   * Returns what failed; a shortcut for {@code failure().kind()}.
   *
   * @return the kind
   */
  public FailureKind kind() {
    return failure.kind();
  }

  /**
   * Returns the server's SMTP reply code; a shortcut for {@code failure().replyCode()}.
   *
   * @return for example 554, or empty if the failure was not a reply
   */
  public OptionalInt replyCode() {
    return failure.replyCode();
  }

  /**
   * Returns the server's reply; a shortcut for {@code failure().reply()}.
   *
   * @return for example {@code 554 5.7.1 Relay access denied}, or empty
   */
  public Optional<String> reply() {
    return failure.reply();
  }

  /**
   * Returns one sentence an administrator can act on; a shortcut for {@code failure().hint()}.
   *
   * @return the hint
   */
  public String hint() {
    return failure.hint();
  }

  /**
   * Returns the recipients the server refused.
   *
   * @return the addresses; empty if the failure was not about recipients
   */
  public List<String> rejectedRecipients() {
    return rejectedRecipients;
  }

  /**
   * Returns how many times sending was tried.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  private static String message(Builder b, SmtpFailure f) {
    return "sending through "
        + b.authority
        + " failed"
        + (b.attempts > 1 ? " after " + b.attempts + " attempts" : "")
        + ": "
        + f.kind()
        + f.reply().map(r -> " (" + r + ")").orElse("")
        + (b.rejectedRecipients.isEmpty() ? "" : ", rejected " + b.rejectedRecipients)
        + (f.hint().isEmpty() ? "" : ". " + f.hint());
  }

  /** Describes a {@link SmarthostSendException}. */
  public static final class Builder {
    private final SmtpFailure.Builder failure;
    private final String authority;
    private List<String> rejectedRecipients = List.of();
    private int attempts = 1;

    private Builder(SmtpFailure failure, String authority) {
      this.failure = failure.toBuilder();
      this.authority = Objects.requireNonNull(authority, "authority");
    }

    private SmtpFailure failure() {
      return failure.build();
    }

    /**
     * Sets the server's reply.
     *
     * @param code the reply code, or 0 if none
     * @param reply the reply text, or null
     * @return this builder (for chaining)
     */
    public Builder reply(int code, @Nullable String reply) {
      failure.reply(code, reply);
      return this;
    }

    /**
     * Sets the hint.
     *
     * @param hint one sentence, without secrets
     * @return this builder (for chaining)
     */
    public Builder hint(String hint) {
      failure.hint(hint);
      return this;
    }

    /**
     * Sets the recipients the server refused.
     *
     * @param addresses the addresses
     * @return this builder (for chaining)
     */
    public Builder rejectedRecipients(List<String> addresses) {
      this.rejectedRecipients = List.copyOf(addresses);
      return this;
    }

    /**
     * Sets the number of attempts.
     *
     * @param attempts at least 1
     * @return this builder (for chaining)
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts: must be at least 1, but was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * Builds the exception.
     *
     * @param cause the underlying failure, or null
     * @return the exception
     */
    public SmarthostSendException build(@Nullable Throwable cause) {
      return new SmarthostSendException(this, cause);
    }
  }
}
