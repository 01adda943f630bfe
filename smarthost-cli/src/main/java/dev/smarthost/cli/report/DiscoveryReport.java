package dev.smarthost.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.DiscoveryResult;
import java.util.Locale;

/**
 * A {@link DiscoveryResult} for people (one line per port, then the recommendation) and as JSON,
 * for {@code smarthost discover} and the settings page alike.
 */
public final class DiscoveryReport {
  private DiscoveryReport() {}

  /**
   * One line per port with its outcome and time, then the recommended options.
   *
   * @param r the result
   * @return the text, each line ending in a newline
   */
  public static String text(DiscoveryResult r) {
    StringBuilder b = new StringBuilder();
    for (DiscoveryResult.Candidate c : r.candidates()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-5d %-9s %-26s %6d ms%s%n",
              c.port(),
              c.encryption().configValue(),
              c.failure()
                  .map(f -> f.kind().name())
                  .orElse(c.authenticated() ? "ok, logged in" : "ok"),
              c.duration().toMillis(),
              c.failure().map(f -> "  " + f.hint()).orElse("")));
    }
    if (r.recommended().isPresent()) {
      SmarthostSettings s = r.recommended().get();
      b.append("Recommended: --port ")
          .append(s.port())
          .append(" --encryption ")
          .append(s.encryption().configValue())
          .append(s.hasCredentials() ? " with the login" : "")
          .append('\n');
    } else {
      b.append("No port worked: see the hints above.\n");
    }
    return b.toString();
  }

  /** {@code {"recommended":{host,port,encryption,verifyTls}|null,"candidates":[…]}}. */
  public static ObjectNode json(DiscoveryResult r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    if (r.recommended().isPresent()) {
      SmarthostSettings s = r.recommended().get();
      ObjectNode rec = root.putObject("recommended");
      rec.put("host", s.host());
      rec.put("port", s.port());
      rec.put("encryption", s.encryption().configValue());
      rec.put("verifyTls", s.verifyTls());
    } else {
      root.putNull("recommended");
    }
    ArrayNode candidates = root.putArray("candidates");
    for (DiscoveryResult.Candidate c : r.candidates()) {
      ObjectNode n = candidates.addObject();
      n.put("port", c.port());
      n.put("encryption", c.encryption().configValue());
      n.put("ok", c.ok());
      n.put("authenticated", c.authenticated());
      n.put("kind", c.failure().map(x -> x.kind().name()).orElse(null));
      n.put("provider", c.failure().flatMap(x -> x.provider()).orElse(null));
      n.put("hint", c.failure().map(x -> x.hint()).orElse(null));
      n.put("millis", c.duration().toMillis());
    }
    root.put("totalMillis", r.total().toMillis());
    return root;
  }
}
