package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Text survives a POSIX locale through the core mailer (JDK 17 makes US-ASCII the platform charset
 * under {@code LANG=C}, and Jakarta Mail takes it as the default): a text part that names no
 * charset is relabelled UTF-8 and arrives whole; a header Jakarta Mail already encoded in US-ASCII
 * lost its characters, so that message is refused naming the header, never sent damaged.
 */
class PosixLocaleTest {

  @Test
  @Timeout(120)
  void textArrivesWholeAndADamagedHeaderIsRefused() throws Exception {
    List<String> lines = runChild();
    assertThat(lines).contains("default=US-ASCII", "count=2");
    String subject = "subject=" + PosixLocaleChild.escape(PosixLocaleChild.SUBJECT);
    String body = "body=" + PosixLocaleChild.escape(PosixLocaleChild.TEXT);
    assertThat(lines.stream().filter(l -> l.startsWith("subject=")))
        .containsExactly(subject, subject);
    assertThat(lines.stream().filter(l -> l.startsWith("body="))).containsExactly(body, body);
    assertThat(lines).contains("html=" + PosixLocaleChild.escape(PosixLocaleChild.HTML));
    assertThat(lines.stream().filter(l -> l.startsWith("type=")))
        .singleElement()
        .satisfies(l -> assertThat(l).containsIgnoringCase("charset=UTF-8"));
    assertThat(lines.stream().filter(l -> l.startsWith("refused=")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("the Subject header was encoded as US-ASCII")
                    .contains("setSubject(text, \"UTF-8\")"));
  }

  private static List<String> runChild() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Dfile.encoding=US-ASCII",
            "-cp",
            System.getProperty("java.class.path"),
            PosixLocaleChild.class.getName());
    pb.environment().put("LANG", "C");
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.redirectErrorStream(true);
    Process child = pb.start();
    byte[] out = child.getInputStream().readAllBytes();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.US_ASCII);
    assertThat(child.exitValue()).as(text).isZero();
    return text.lines().toList();
  }
}
