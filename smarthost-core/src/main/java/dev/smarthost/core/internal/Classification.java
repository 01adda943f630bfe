package dev.smarthost.core.internal;

import dev.smarthost.FailureKind;
import org.jspecify.annotations.Nullable;

/** A classified failure: kind, the server's reply if there was one, and a technical detail. */
public final class Classification {
  public final FailureKind kind;
  public final int replyCode;
  public final @Nullable String reply;
  public final String detail;

  public Classification(FailureKind kind, int replyCode, @Nullable String reply, String detail) {
    this.kind = kind;
    this.replyCode = replyCode;
    this.reply = reply;
    this.detail = detail;
  }

  public Classification withKind(FailureKind newKind) {
    return new Classification(newKind, replyCode, reply, detail);
  }

  @Override
  public String toString() {
    return kind + (reply != null ? " " + reply : "") + " (" + detail + ")";
  }
}
