package dev.smarthost.core;

import dev.smarthost.FailureKind;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Why a connection check failed: the kind, the server's reply if any, and what to do. */
public final class ValidationFailure {
  private final FailureKind kind;
  private final int replyCode;
  private final @Nullable String reply;
  private final String hint;
  private final String detail;

  ValidationFailure(
      FailureKind kind, int replyCode, @Nullable String reply, String hint, String detail) {
    this.kind = Objects.requireNonNull(kind);
    this.replyCode = replyCode;
    this.reply = reply;
    this.hint = hint;
    this.detail = detail;
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
   * @return for example "Port 465 expects implicit TLS: choose encryption TLS."
   */
  public String hint() {
    return hint;
  }

  /**
   * Returns the technical cause for logs and support, without secrets.
   *
   * @return the underlying exception's summary
   */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return kind + (reply != null ? " (" + reply + ")" : "") + ": " + hint;
  }
}
