package dev.smarthost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A message could not be delivered to the smarthost: what failed ({@link #kind()}), the server's
 * reply if it gave one, the recipients it refused, and how many attempts were made. The message
 * names the server and never a credential.
 */
public final class SmarthostSendException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  private final FailureKind kind;

  /** The server's reply code, or 0. */
  private final int replyCode;

  /** The server's reply, or null. */
  private final @Nullable String reply;

  /** What the administrator can do. */
  private final String hint;

  /** The recipients the server refused. */
  private final List<String> rejectedRecipients;

  /** How many attempts were made. */
  private final int attempts;

  private SmarthostSendException(Builder b, @Nullable Throwable cause) {
    super(message(b), cause);
    this.kind = b.kind;
    this.replyCode = b.replyCode;
    this.reply = b.reply;
    this.hint = b.hint;
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
    return new Builder(kind, authority);
  }

  /**
   * Returns what failed.
   *
   * @return the kind
   */
  public FailureKind kind() {
    return kind;
  }

  /**
   * Returns the server's SMTP reply code.
   *
   * @return for example 554, or empty if the failure was not a reply
   */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the server's reply.
   *
   * @return for example {@code 554 5.7.1 Relay access denied}, or empty
   */
  public Optional<String> reply() {
    return Optional.ofNullable(reply);
  }

  /**
   * Returns one sentence an administrator can act on.
   *
   * @return the hint
   */
  public String hint() {
    return hint;
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

  private static String message(Builder b) {
    return "sending through "
        + b.authority
        + " failed"
        + (b.attempts > 1 ? " after " + b.attempts + " attempts" : "")
        + ": "
        + b.kind
        + (b.reply != null ? " (" + b.reply + ")" : "")
        + (b.rejectedRecipients.isEmpty() ? "" : ", rejected " + b.rejectedRecipients)
        + (b.hint.isEmpty() ? "" : ". " + b.hint);
  }

  /** Describes a {@link SmarthostSendException}. */
  public static final class Builder {
    private final FailureKind kind;
    private final String authority;
    private int replyCode;
    private @Nullable String reply;
    private String hint = "";
    private List<String> rejectedRecipients = List.of();
    private int attempts = 1;

    private Builder(FailureKind kind, String authority) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.authority = Objects.requireNonNull(authority, "authority");
    }

    /**
     * Sets the server's reply.
     *
     * @param code the reply code, or 0 if none
     * @param reply the reply text, or null
     * @return this builder (for chaining)
     */
    public Builder reply(int code, @Nullable String reply) {
      this.replyCode = code;
      this.reply = reply;
      return this;
    }

    /**
     * Sets the hint.
     *
     * @param hint one sentence, without secrets
     * @return this builder (for chaining)
     */
    public Builder hint(String hint) {
      this.hint = Objects.requireNonNull(hint, "hint");
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
