package dev.smarthost.cli;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.TlsDetails;
import dev.smarthost.core.ValidationFailure;
import dev.smarthost.core.ValidationPhase;
import dev.smarthost.core.ValidationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A validation result as text for people or as one JSON object. Never prints a password. */
final class Report {
  private Report() {}

  static String text(ValidationResult r) {
    SmarthostSettings s = r.settings();
    StringBuilder b = new StringBuilder();
    b.append("Checking ")
        .append(s.authority())
        .append(" (")
        .append(s.encryption())
        .append(
            s.encryption().usesTls()
                ? (s.verifyTls() ? ", certificate verified" : ", certificate NOT verified")
                : "")
        .append(s.username().map(u -> ", user " + u).orElse(", no credentials"))
        .append(")\n");
    for (Map.Entry<ValidationPhase, Duration> phase : r.phases().entrySet()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-9s %8.1f ms  %s%n",
              phase.getKey().name().toLowerCase(Locale.ROOT),
              phase.getValue().toNanos() / 1e6,
              note(r, phase.getKey())));
    }
    for (String warning : r.warnings()) {
      b.append("Warning: ").append(warning).append('\n');
    }
    if (r.ok()) {
      b.append("OK")
          .append(r.testMessageSent() ? ": test message accepted" : ": connection and login work")
          .append(String.format(Locale.ROOT, " (%.0f ms)%n", r.total().toNanos() / 1e6));
    } else {
      ValidationFailure f = r.failure().orElseThrow();
      b.append("FAILED: ")
          .append(f.kind())
          .append(f.reply().map(x -> " — " + x).orElse(""))
          .append('\n');
      b.append("Hint: ").append(f.hint()).append('\n');
      b.append("Detail: ").append(f.detail()).append('\n');
    }
    return b.toString();
  }

  private static String note(ValidationResult r, ValidationPhase phase) {
    switch (phase) {
      case GREETING:
        return r.greeting().orElse("");
      case TLS:
        return r.tls().map(TlsDetails::toString).orElse("");
      case AUTH:
        return String.join(" ", r.authMechanisms());
      default:
        return "";
    }
  }

  static String json(ValidationResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("ok", r.ok());
    root.put("failure", r.failure().map(Report::failure).orElse(null));
    List<Object> phases = new ArrayList<>();
    r.phases()
        .forEach(
            (phase, d) -> {
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("phase", phase.name());
              p.put("millis", Math.round(d.toNanos() / 1e4) / 100.0);
              phases.add(p);
            });
    root.put("phases", phases);
    root.put("tls", r.tls().map(Report::tls).orElse(null));
    SmarthostSettings s = r.settings();
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("host", s.host());
    server.put("port", s.port());
    server.put("encryption", s.encryption().configValue());
    server.put("verifyTls", s.verifyTls());
    server.put("username", s.username().orElse(null));
    server.put("passwordSet", s.password().isPresent());
    server.put("greeting", r.greeting().orElse(null));
    server.put("ehloExtensions", r.ehloExtensions());
    server.put("authMechanisms", r.authMechanisms());
    root.put("server", server);
    root.put("testMessageSent", r.testMessageSent());
    root.put("warnings", r.warnings());
    root.put("totalMillis", r.total().toMillis());
    return Json.write(root);
  }

  private static Map<String, @Nullable Object> failure(ValidationFailure f) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("kind", f.kind().name());
    m.put("code", f.replyCode().isPresent() ? f.replyCode().getAsInt() : null);
    m.put("reply", f.reply().orElse(null));
    m.put("hint", f.hint());
    m.put("detail", f.detail());
    return m;
  }

  private static Map<String, @Nullable Object> tls(TlsDetails t) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("protocol", t.protocol());
    m.put("cipherSuite", t.cipherSuite());
    m.put("peerSubject", t.peerSubject().orElse(null));
    m.put("peerIssuer", t.peerIssuer().orElse(null));
    m.put("peerAlternativeNames", t.peerAlternativeNames());
    m.put("peerNotAfter", t.peerNotAfter().map(Object::toString).orElse(null));
    return m;
  }
}
