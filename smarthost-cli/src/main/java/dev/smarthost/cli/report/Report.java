package dev.smarthost.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.SmtpFailureCodec;
import dev.smarthost.core.check.TlsDetails;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.session.PhaseTiming;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A validation result as text for people or as one JSON object. Never prints a password. */
public final class Report {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Report() {}

  public static String text(ValidationResult r) {
    StringBuilder b = new StringBuilder(header(r.settings()));
    r.phases().forEach(p -> b.append(phase(p)));
    return b.append(footer(r)).toString();
  }

  /** The first line, printed before the check starts. */
  public static String header(SmarthostSettings s) {
    return "Checking "
        + s.authority()
        + " ("
        + s.encryption()
        + (s.encryption().usesTls()
            ? (s.verifyTls() ? ", certificate verified" : ", certificate NOT verified")
            : "")
        + s.username().map(u -> ", user " + u).orElse(", no credentials")
        + s.oauth2Client().map(c -> ", OAuth 2.0 via " + c.tokenEndpoint().getHost()).orElse("")
        + ")\n";
  }

  /** One line per completed step, printed as it completes. */
  public static String phase(PhaseTiming p) {
    return String.format(
        Locale.ROOT,
        "  %-9s %8.1f ms%n",
        p.phase().name().toLowerCase(Locale.ROOT),
        p.duration().toNanos() / 1e6);
  }

  /** What the server showed, the warnings and the verdict, printed after the check. */
  public static String footer(ValidationResult r) {
    StringBuilder b = new StringBuilder();
    r.greeting().ifPresent(g -> b.append("Greeting: ").append(g).append('\n'));
    r.tls().ifPresent(t -> b.append("TLS: ").append(t).append('\n'));
    if (!r.authMechanisms().isEmpty()) {
      b.append("AUTH offered: ").append(String.join(" ", r.authMechanisms())).append('\n');
    }
    for (String warning : r.warnings()) {
      b.append("Warning: ").append(warning).append('\n');
    }
    if (r.ok()) {
      b.append("OK")
          .append(
              r.testMessageSent()
                  ? ": test message accepted"
                  : ": connection and login work; only a test message (--from and --to) proves"
                      + " that the server relays")
          .append(String.format(Locale.ROOT, " (%.0f ms)%n", r.total().toNanos() / 1e6));
    } else {
      SmtpFailure f = r.failure().orElseThrow();
      b.append("FAILED: ")
          .append(f.kind())
          .append(f.provider().map(p -> " [" + p + "]").orElse(""))
          .append(f.reply().map(x -> " — " + x).orElse(""))
          .append('\n');
      b.append("Hint: ").append(CliHints.hint(f)).append('\n');
      b.append("Detail: ").append(f.detail()).append('\n');
    }
    return b.toString();
  }

  /** The result as the one JSON object of {@code check --json} and the settings API. */
  public static ObjectNode json(ValidationResult r) {
    ObjectNode root = JSON.objectNode();
    root.put("ok", r.ok());
    root.set("failure", r.failure().<JsonNode>map(Report::failure).orElse(JSON.nullNode()));
    ArrayNode phases = root.putArray("phases");
    r.phases()
        .forEach(
            p ->
                phases
                    .addObject()
                    .put("phase", p.phase().name())
                    .put("millis", Math.round(p.duration().toNanos() / 1e4) / 100.0));
    root.set("tls", r.tls().<JsonNode>map(Report::tls).orElse(JSON.nullNode()));
    SmarthostSettings s = r.settings();
    ObjectNode server = root.putObject("server");
    server.put("host", s.host());
    server.put("port", s.port());
    server.put("encryption", s.encryption().configValue());
    server.put("verifyTls", s.verifyTls());
    server.put("username", s.username().orElse(null));
    server.put("passwordSet", s.password().isPresent());
    server.put("authentication", s.authentication().name().toLowerCase(java.util.Locale.ROOT));
    s.oauth2Client()
        .ifPresent(
            c -> {
              server.put("oauth2TokenUrl", c.tokenEndpoint().toString());
              server.put("oauth2ClientId", c.clientId());
            });
    server.put("greeting", r.greeting().orElse(null));
    strings(server.putArray("ehloExtensions"), r.ehloExtensions());
    strings(server.putArray("authMechanisms"), r.authMechanisms());
    root.put("testMessageSent", r.testMessageSent());
    strings(root.putArray("warnings"), r.warnings());
    root.put("totalMillis", r.total().toMillis());
    return root;
  }

  /** The failure as JSON: {@code kind, code, enhancedStatus, reply, provider, hint, detail}. */
  public static ObjectNode failure(SmtpFailure f) {
    // The codec's fields in its order, typed for JSON; absent ones as null, the hint in CLI terms.
    Map<String, String> fields = SmtpFailureCodec.REPORT.encode(f);
    ObjectNode m = JSON.objectNode();
    m.put("kind", fields.get("kind"));
    if (f.replyCode().isPresent()) {
      m.put("code", f.replyCode().getAsInt());
    } else {
      m.putNull("code");
    }
    m.put("enhancedStatus", f.enhancedStatus().orElse(null));
    m.put("reply", fields.get("reply"));
    m.put("provider", fields.get("provider"));
    m.put("hint", CliHints.hint(f));
    m.put("detail", fields.get("detail"));
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
