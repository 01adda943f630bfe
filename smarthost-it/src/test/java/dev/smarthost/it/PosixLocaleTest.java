package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.testsupport.PosixLocale;
import java.util.List;
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
    List<String> lines = PosixLocale.run(PosixLocaleChild.class);
    assertThat(lines).contains("default=US-ASCII", "count=2");
    String subject = "subject=" + PosixLocale.escape(PosixLocaleChild.SUBJECT);
    String body = "body=" + PosixLocale.escape(PosixLocaleChild.TEXT);
    assertThat(lines.stream().filter(l -> l.startsWith("subject=")))
        .containsExactly(subject, subject);
    assertThat(lines.stream().filter(l -> l.startsWith("body="))).containsExactly(body, body);
    assertThat(lines).contains("html=" + PosixLocale.escape(PosixLocaleChild.HTML));
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
}
