package dev.smarthost.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Angus' protocol trace and logs it line by line at DEBUG. Angus already suspends the
 * trace during AUTH ({@code mail.debug.auth=false}); as a second line of defence this masks the
 * arguments of an {@code AUTH} command and every line sent after a {@code 334} challenge.
 */
public final class Slf4jDebugOutput extends OutputStream {
  private static final Logger LOG = LoggerFactory.getLogger("dev.smarthost.smtp");
  private static final int MAX_LINE = 8192;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean inChallenge;

  private Slf4jDebugOutput() {}

  public static PrintStream printStream() {
    return new PrintStream(new Slf4jDebugOutput(), true, StandardCharsets.UTF_8);
  }

  public static boolean enabled() {
    return LOG.isDebugEnabled();
  }

  /** "ddd", "ddd text" or "ddd-text": base64 never contains a space or a hyphen. */
  private static boolean isServerReply(String text) {
    if (text.length() < 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return text.length() == 3 || text.charAt(3) == ' ' || text.charAt(3) == '-';
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      flushLine();
    } else if (b != '\r' && line.size() < MAX_LINE) {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    // lines are logged when complete
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      flushLine();
    }
  }

  private void flushLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    LOG.debug("{}", mask(text));
  }

  String mask(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.startsWith("334")) {
      inChallenge = true;
      return text;
    }
    if (upper.startsWith("AUTH ")) {
      int mechanismEnd = text.indexOf(' ', 5);
      inChallenge = false;
      return mechanismEnd < 0 ? text : text.substring(0, mechanismEnd) + " ****";
    }
    if (inChallenge && isServerReply(text)) {
      inChallenge = false;
      return text;
    }
    return inChallenge ? "****" : text;
  }
}
