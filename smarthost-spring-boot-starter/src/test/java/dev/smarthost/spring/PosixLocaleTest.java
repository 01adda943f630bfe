package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.testsupport.PosixLocale;
import java.util.List;
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
    List<String> lines = PosixLocale.run(PosixLocaleChild.class);
    assertThat(lines).contains("default=US-ASCII");
    String subject = "subject=" + PosixLocale.escape(PosixLocaleChild.SUBJECT);
    String body = "body=" + PosixLocale.escape(PosixLocaleChild.TEXT);
    assertThat(lines.stream().filter(l -> l.startsWith("subject=")))
        .containsExactly(subject, subject);
    assertThat(lines.stream().filter(l -> l.startsWith("body="))).containsExactly(body, body);
    assertThat(lines)
        .contains("from=" + PosixLocale.escape(PosixLocaleChild.NAME) + " <app@example.org>");
  }
}
