package dev.smarthost.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class SmtpOptionsTest {

  @Test
  void rejectsTimeoutsThatAngusWouldTreatAsInfinite() {
    assertThatThrownBy(() -> SmtpOptions.builder().readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("readTimeout: must be at least 1 ms");
    assertThatThrownBy(() -> SmtpOptions.builder().connectTimeout(Duration.ofNanos(10)))
        .hasMessageStartingWith("connectTimeout: ");
    assertThatThrownBy(() -> SmtpOptions.builder().writeTimeout(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("writeTimeout: ");
    assertThatThrownBy(() -> SmtpOptions.builder().readTimeout(Duration.ofDays(365)))
        .hasMessageStartingWith("readTimeout: ");
  }

  @Test
  void rejectsBadEhloNamesAndProtocols() {
    assertThatThrownBy(() -> SmtpOptions.builder().ehloName("a b"))
        .hasMessageStartingWith("ehloName: ");
    assertThatThrownBy(() -> SmtpOptions.builder().ehloName(""))
        .hasMessageStartingWith("ehloName: ");
    assertThatThrownBy(() -> SmtpOptions.builder().tlsProtocols(List.of()))
        .hasMessageStartingWith("tlsProtocols: ");
  }

  @Test
  void trustStoreAndContextAreExclusive() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    assertThatThrownBy(() -> SmtpOptions.builder().trustStore(ks).sslContext(ctx).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustStore and sslContext: set one, not both");
  }

  @Test
  void debugDefaultsToTheSystemProperty() {
    String before = System.getProperty(SmtpOptions.DEBUG_PROPERTY);
    try {
      System.clearProperty(SmtpOptions.DEBUG_PROPERTY);
      assertThat(SmtpOptions.builder().build().debug()).isFalse();
      System.setProperty(SmtpOptions.DEBUG_PROPERTY, "true");
      assertThat(SmtpOptions.builder().build().debug()).isTrue();
      assertThat(SmtpOptions.builder().debug(false).build().debug()).isFalse();
      System.setProperty(SmtpOptions.DEBUG_PROPERTY, "yes");
      assertThat(SmtpOptions.builder().build().debug()).as("only \"true\" counts").isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(SmtpOptions.DEBUG_PROPERTY);
      } else {
        System.setProperty(SmtpOptions.DEBUG_PROPERTY, before);
      }
    }
  }

  @Test
  void defaultsAndCopies() {
    SmtpOptions d = SmtpOptions.defaults();
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.tlsProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(d.trustStore()).isEmpty();
    assertThat(d.toBuilder().build()).isEqualTo(d);
    assertThat(d.toBuilder().debug(!d.debug()).build()).isNotEqualTo(d);
    assertThat(d.toString()).contains("jdk-default");
  }
}
