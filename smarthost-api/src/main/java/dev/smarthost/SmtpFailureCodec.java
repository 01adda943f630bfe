package dev.smarthost;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one codec of an {@link SmtpFailure} as text fields, with one spelling of the keys per place
 * that stores or shows it: the file outbox's state files, the Redis outbox's stream entries, and
 * reports (the CLI's JSON, health details). Every place reads and writes the same fields through
 * it, so a failure means the same wherever it was written.
 *
 * <p>Fields: the kind, the reply code ({@code 0} when there was no reply), the reply, the provider
 * that recognised it, the hint and the detail; an absent reply or provider is left out. Reading is
 * strict where a wrong value would mislead (the code must be a number from 0 to 599) and lenient
 * where a newer version may have written more: a kind this version does not know reads as {@link
 * FailureKind#PROTOCOL_ERROR}, its texts kept.
 */
public final class SmtpFailureCodec {
  /** The file outbox's state files: {@code failure.kind}, {@code failure.code}, … */
  public static final SmtpFailureCodec OUTBOX_FILE =
      new SmtpFailureCodec(
          new Keys(
              "failure.kind",
              "failure.code",
              "failure.reply",
              "failure.provider",
              "failure.hint",
              "failure.detail"));

  /** The Redis outbox's stream entries: short keys, {@code fk}, {@code fc}, … */
  public static final SmtpFailureCodec REDIS =
      new SmtpFailureCodec(new Keys("fk", "fc", "fr", "fp", "fh", "fd"));

  /** Reports meant for people and tools: {@code kind}, {@code code}, {@code reply}, … */
  public static final SmtpFailureCodec REPORT =
      new SmtpFailureCodec(new Keys("kind", "code", "reply", "provider", "hint", "detail"));

  /** The key of each field, by name. */
  private record Keys(
      String kind, String code, String reply, String provider, String hint, String detail) {}

  private final Keys keys;

  private SmtpFailureCodec(Keys keys) {
    this.keys = keys;
  }

  /**
   * Returns the key of the kind, whose presence says that fields hold a failure.
   *
   * @return for example {@code failure.kind}
   */
  public String kindKey() {
    return keys.kind();
  }

  /**
   * Returns the key of the reply code.
   *
   * @return for example {@code failure.code}
   */
  public String codeKey() {
    return keys.code();
  }

  /**
   * Writes a failure as fields.
   *
   * @param failure the failure
   * @return the fields in a fixed order (kind, code, reply, provider, hint, detail); unmodifiable
   */
  public Map<String, String> encode(SmtpFailure failure) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(keys.kind(), failure.kind().name());
    fields.put(keys.code(), Integer.toString(failure.replyCode().orElse(0)));
    failure.reply().ifPresent(r -> fields.put(keys.reply(), r));
    failure.provider().ifPresent(p -> fields.put(keys.provider(), p));
    fields.put(keys.hint(), failure.hint());
    fields.put(keys.detail(), failure.detail());
    return Collections.unmodifiableMap(fields);
  }

  /**
   * Reads a failure from fields.
   *
   * @param fields the value of each key, or null where there is none (e.g. {@code
   *     properties::getProperty}, {@code map::get})
   * @return the failure; empty if the fields hold none (no kind)
   * @throws IllegalArgumentException naming the key, if the code is not a number from 0 to 599
   */
  public Optional<SmtpFailure> decode(Function<String, @Nullable String> fields) {
    String kindName = fields.apply(keys.kind());
    if (kindName == null) {
      return Optional.empty();
    }
    FailureKind kind;
    try {
      kind = FailureKind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      kind = FailureKind.PROTOCOL_ERROR; // a later version's kind
    }
    int code = code(fields.apply(keys.code()));
    String hint = fields.apply(keys.hint());
    String detail = fields.apply(keys.detail());
    return Optional.of(
        SmtpFailure.builder(kind)
            .reply(code >= 200 ? code : 0, fields.apply(keys.reply()))
            .provider(fields.apply(keys.provider()))
            .hint(hint == null ? "" : hint)
            .detail(detail == null ? "" : detail)
            .build());
  }

  private int code(@Nullable String text) {
    if (text == null) {
      return 0;
    }
    try {
      int code = Integer.parseInt(text);
      if (code < 0 || code > 599) {
        throw new IllegalArgumentException(keys.code() + ": out of range (0 to 599)");
      }
      return code;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(keys.code() + ": not a number", e);
    }
  }
}
