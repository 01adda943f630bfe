package dev.smarthost.core.internal;

import dev.smarthost.FailureKind;
import dev.smarthost.SmtpFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The replies of the smarthosts administrators use (Microsoft 365, Google, Amazon SES, SendGrid, …)
 * and each provider's fix, read from {@code provider-replies.tsv} (one row per reply, with its
 * source). Matched on the enhanced status code first, the text second.
 */
public final class ProviderReplies {
  private static final List<Row> ROWS = load();

  private ProviderReplies() {}

  /** One row of the table. */
  public static final class Row {
    final @Nullable String provider;
    final int code;
    final @Nullable String status;
    final @Nullable Pattern text;
    final @Nullable FailureKind kind;
    final String hint;
    final String source;
    final int line;

    Row(
        @Nullable String provider,
        int code,
        @Nullable String status,
        @Nullable Pattern text,
        @Nullable FailureKind kind,
        String hint,
        String source,
        int line) {
      this.provider = provider;
      this.code = code;
      this.status = status;
      this.text = text;
      this.kind = kind;
      this.hint = hint;
      this.source = source;
      this.line = line;
    }

    boolean matches(int replyCode, @Nullable String replyStatus, String reply) {
      return (code == 0 || code == replyCode)
          && (status == null || status.equals(replyStatus))
          && (text == null || text.matcher(reply).find());
    }

    int specificity() {
      return (status != null ? 4 : 0) + (text != null ? 2 : 0) + (code != 0 ? 1 : 0);
    }

    /** The provider, or empty for a row that names none. */
    public Optional<String> provider() {
      return Optional.ofNullable(provider);
    }

    /** The provider's fix. */
    public String hint() {
      return hint;
    }

    /** Where the provider documents the reply. */
    public String source() {
      return source;
    }

    @Override
    public String toString() {
      return "provider-replies.tsv:" + line + " (" + provider + ")";
    }
  }

  /** Every row, in file order (for tests and the table in docs/failures.md). */
  public static List<Row> rows() {
    return ROWS;
  }

  /** The most specific row that matches this reply. */
  public static Optional<Row> match(int code, @Nullable String reply) {
    if (reply == null || reply.isBlank()) {
      return Optional.empty();
    }
    String status =
        SmtpFailure.builder(FailureKind.PROTOCOL_ERROR)
            .reply(0, reply)
            .build()
            .enhancedStatus()
            .orElse(null);
    Row best = null;
    for (Row row : ROWS) {
      if (row.matches(code, status, reply)
          && (best == null || row.specificity() > best.specificity())) {
        best = row;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The failure with the provider named, its kind corrected and the provider's fix as hint, if a
   * row matches its reply; otherwise the failure unchanged.
   */
  public static SmtpFailure annotate(SmtpFailure failure) {
    Optional<Row> row = match(failure.replyCode().orElse(0), failure.reply().orElse(null));
    if (row.isEmpty()) {
      return failure;
    }
    Row r = row.get();
    SmtpFailure.Builder b =
        r.kind == null
            ? failure.toBuilder()
            : FailureClassifier.asKind(failure, r.kind).toBuilder();
    return b.provider(r.provider).hint(r.hint).build();
  }

  private static List<Row> load() {
    try (InputStream in = ProviderReplies.class.getResourceAsStream("provider-replies.tsv")) {
      Objects.requireNonNull(in, "provider-replies.tsv is missing from the jar");
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> parse(BufferedReader reader) throws IOException {
    List<Row> rows = new ArrayList<>();
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 7) {
        throw new IllegalStateException(
            "provider-replies.tsv line " + number + ": 7 tab-separated columns, found " + f.length);
      }
      rows.add(
          new Row(
              any(f[0], "-") ? null : f[0],
              any(f[1], "*") ? 0 : Integer.parseInt(f[1]),
              any(f[2], "*") ? null : f[2],
              any(f[3], "*") ? null : Pattern.compile(f[3], Pattern.CASE_INSENSITIVE),
              any(f[4], "*") ? null : FailureKind.valueOf(f[4]),
              f[5],
              f[6],
              number));
    }
    return Collections.unmodifiableList(rows);
  }

  private static boolean any(String value, String wildcard) {
    return value.equals(wildcard);
  }
}
