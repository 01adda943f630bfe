package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spring developer review, item 1: on JDK 17 a POSIX locale makes US-ASCII the platform charset,
 * which Jakarta Mail takes as the default for text and headers. Through the starter's sender,
 * {@link org.springframework.mail.SimpleMailMessage} and {@link
 * org.springframework.mail.javamail.MimeMessageHelper} keep every character anyway — decoded from
 * what the server stored, in a JVM started with {@code LANG=C}.
 */
class PosixLocaleTest {

  @Test
  @Timeout(120)
  void textAndHeadersSurviveAPosixLocale() throws Exception {
    List<String> lines = runChild();
    assertThat(lines).contains("default=US-ASCII");
    String subject = "subject=" + PosixLocaleChild.escape(PosixLocaleChild.SUBJECT);
    String body = "body=" + PosixLocaleChild.escape(PosixLocaleChild.TEXT);
    assertThat(lines.stream().filter(l -> l.startsWith("subject=")))
        .containsExactly(subject, subject);
    assertThat(lines.stream().filter(l -> l.startsWith("body="))).containsExactly(body, body);
    assertThat(lines)
        .contains("from=" + PosixLocaleChild.escape(PosixLocaleChild.NAME) + " <app@example.org>");
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
