package dev.smarthost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.TlsDetails;
import dev.smarthost.core.ValidationPhase;
import dev.smarthost.core.ValidationResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A validation result as text for people or as one JSON object. Never prints a password. */
final class Report {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

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
      SmtpFailure f = r.failure().orElseThrow();
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

  /** The result as the one JSON object of {@code check --json} and the settings API. */
  static ObjectNode json(ValidationResult r) {
    ObjectNode root = JSON.objectNode();
    root.put("ok", r.ok());
    root.set("failure", r.failure().<JsonNode>map(Report::failure).orElse(JSON.nullNode()));
    ArrayNode phases = root.putArray("phases");
    r.phases()
        .forEach(
            (phase, d) ->
                phases
                    .addObject()
                    .put("phase", phase.name())
                    .put("millis", Math.round(d.toNanos() / 1e4) / 100.0));
    root.set("tls", r.tls().<JsonNode>map(Report::tls).orElse(JSON.nullNode()));
    SmarthostSettings s = r.settings();
    ObjectNode server = root.putObject("server");
    server.put("host", s.host());
    server.put("port", s.port());
    server.put("encryption", s.encryption().configValue());
    server.put("verifyTls", s.verifyTls());
    server.put("username", s.username().orElse(null));
    server.put("passwordSet", s.password().isPresent());
    server.put("greeting", r.greeting().orElse(null));
    strings(server.putArray("ehloExtensions"), r.ehloExtensions());
    strings(server.putArray("authMechanisms"), r.authMechanisms());
    root.put("testMessageSent", r.testMessageSent());
    strings(root.putArray("warnings"), r.warnings());
    root.put("totalMillis", r.total().toMillis());
    return root;
  }

  /** The failure as JSON: {@code kind, code, enhancedStatus, reply, hint, detail}. */
  static ObjectNode failure(SmtpFailure f) {
    ObjectNode m = JSON.objectNode();
    m.put("kind", f.kind().name());
    if (f.replyCode().isPresent()) {
      m.put("code", f.replyCode().getAsInt());
    } else {
      m.putNull("code");
    }
    m.put("enhancedStatus", f.enhancedStatus().orElse(null));
    m.put("reply", f.reply().orElse(null));
    m.put("hint", f.hint());
    m.put("detail", f.detail());
    return m;
  }

  private static ObjectNode tls(TlsDetails t) {
    ObjectNode m = JSON.objectNode();
    m.put("protocol", t.protocol());
    m.put("cipherSuite", t.cipherSuite());
    m.put("peerSubject", t.peerSubject().orElse(null));
    m.put("peerIssuer", t.peerIssuer().orElse(null));
    strings(m.putArray("peerAlternativeNames"), t.peerAlternativeNames());
    m.put("peerNotAfter", t.peerNotAfter().map(Object::toString).orElse(null));
    return m;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
