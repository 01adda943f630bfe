package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Slf4jDebugOutputTest {

  @Test
  void masksAuthArgumentsAndChallengeResponses() throws Exception {
    java.lang.reflect.Constructor<Slf4jDebugOutput> c =
        Slf4jDebugOutput.class.getDeclaredConstructor();
    c.setAccessible(true);
    Slf4jDebugOutput out = c.newInstance();
    assertThat(out.mask("EHLO app")).isEqualTo("EHLO app");
    assertThat(out.mask("AUTH PLAIN AGFwcABzM2NyZXQ=")).isEqualTo("AUTH PLAIN ****");
    assertThat(out.mask("AUTH LOGIN")).isEqualTo("AUTH LOGIN");
    assertThat(out.mask("334 VXNlcm5hbWU6")).isEqualTo("334 VXNlcm5hbWU6");
    assertThat(out.mask("123YXBw")).isEqualTo("****");
    assertThat(out.mask("334 UGFzc3dvcmQ6")).isEqualTo("334 UGFzc3dvcmQ6");
    assertThat(out.mask("czNjcmV0")).isEqualTo("****");
    assertThat(out.mask("235 2.7.0 Authentication successful"))
        .isEqualTo("235 2.7.0 Authentication successful");
    assertThat(out.mask("MAIL FROM:<a@example.org>")).isEqualTo("MAIL FROM:<a@example.org>");
  }
}
