package dev.smarthost;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Why talking to a smarthost failed, classified: the {@link FailureKind}, the server's reply (code,
 * enhanced status code, text) when the failure was one, one sentence an administrator can act on,
 * and the technical detail for logs. The one failure value of the library: a connection check's
 * result, {@link SmarthostSendException#failure()}, each refused recipient and the CLI's JSON all
 * carry it. Never contains a credential.
 *
 * <pre>{@code
 * SmtpFailure f = SmtpFailure.builder(FailureKind.RECIPIENT_REJECTED)
 *     .reply(554, "554 5.7.1 Relay access denied")   // enhancedStatus() = "5.7.1"
 *     .hint("The server does not relay for this sender: …")
 *     .build();
 * }</pre>
 */
public final class SmtpFailure implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private static final Pattern ENHANCED_STATUS =
      Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

  /** What failed. */
  private final FailureKind kind;

  /** The server's reply code, or 0. */
  private final int replyCode;

  /** The server's reply, or null. */
  private final @Nullable String reply;

  /** The enhanced status code at the start of the reply, or null. */
  private final @Nullable String enhancedStatus;

  /** What the administrator can do; empty if unknown. */
  private final String hint;

  /** The technical cause; empty if unknown. */
  private final String detail;

  /** The provider whose reply this is, or null. */
  private final @Nullable String provider;

  private SmtpFailure(Builder b) {
    this.kind = b.kind;
    this.replyCode = b.replyCode;
    this.reply = b.reply;
    this.enhancedStatus = b.reply == null ? null : enhancedStatus(b.reply);
    this.hint = b.hint;
    this.detail = b.detail;
    this.provider = b.provider;
  }

  /**
   * Starts describing a failure.
   *
   * @param kind what failed
   * @return a builder without reply, hint or detail
   */
  public static Builder builder(FailureKind kind) {
    return new Builder(kind);
  }

  /**
   * Returns a builder with this failure's values, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(kind);
    b.replyCode = replyCode;
    b.reply = reply;
    b.hint = hint;
    b.detail = detail;
    b.provider = provider;
    return b;
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
   * Returns the server's SMTP reply code, if the failure was a reply.
   *
   * @return for example 535, or empty
   */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the enhanced status code (RFC 3463) at the start of the reply, if it has one.
   *
   * @return for example {@code 5.7.139}, or empty
   */
  public Optional<String> enhancedStatus() {
    return Optional.ofNullable(enhancedStatus);
  }

  /**
   * Returns the server's reply text, if the failure was a reply.
   *
   * @return for example {@code 535 5.7.8 Authentication credentials invalid}, or empty
   */
  public Optional<String> reply() {
    return Optional.ofNullable(reply);
  }

  /**
   * Returns one sentence an administrator can act on.
   *
   * @return the hint; empty if none was given
   */
  public String hint() {
    return hint;
  }

  /**
   * Returns the technical cause for logs and support, without secrets.
   *
   * @return the underlying exception's summary; empty if none was given
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the smarthost provider that the reply identifies, when it is one whose replies the
   * library knows (the hint then is that provider's fix).
   *
   * @return for example {@code Microsoft 365}, {@code Google}, {@code Amazon SES}, or empty
   */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SmtpFailure that)) {
      return false;
    }
    return kind == that.kind
        && replyCode == that.replyCode
        && Objects.equals(reply, that.reply)
        && hint.equals(that.hint)
        && detail.equals(that.detail)
        && Objects.equals(provider, that.provider);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, replyCode, reply, hint, detail, provider);
  }

  @Override
  public String toString() {
    return kind
        + (provider != null ? " [" + provider + "]" : "")
        + (reply != null ? " (" + reply + ")" : "")
        + (hint.isEmpty() ? "" : ": " + hint);
  }

  private static @Nullable String enhancedStatus(String reply) {
    Matcher m = ENHANCED_STATUS.matcher(reply.strip());
    return m.find() ? m.group(1) : null;
  }

  /** Describes an {@link SmtpFailure}. */
  public static final class Builder {
    private final FailureKind kind;
    private int replyCode;
    private @Nullable String reply;
    private String hint = "";
    private String detail = "";
    private @Nullable String provider;

    private Builder(FailureKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Sets the server's reply; its enhanced status code is taken from the text.
     *
     * @param code the reply code, or 0 if none
     * @param reply the reply text, or null
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the code is neither 0 nor 200–599
     */
    public Builder reply(int code, @Nullable String reply) {
      if (code != 0 && (code < 200 || code > 599)) {
        throw new IllegalArgumentException("code: must be 0 or 200–599, but was " + code);
      }
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
     * Sets the technical detail.
     *
     * @param detail the cause's summary, without secrets
     * @return this builder (for chaining)
     */
    public Builder detail(String detail) {
      this.detail = Objects.requireNonNull(detail, "detail");
      return this;
    }

    /**
     * Names the provider whose reply this is.
     *
     * @param provider for example {@code Microsoft 365}, or null for none
     * @return this builder (for chaining)
     */
    public Builder provider(@Nullable String provider) {
      this.provider = provider;
      return this;
    }

    /**
     * Builds the failure.
     *
     * @return the failure
     */
    public SmtpFailure build() {
      return new SmtpFailure(this);
    }
  }
}
