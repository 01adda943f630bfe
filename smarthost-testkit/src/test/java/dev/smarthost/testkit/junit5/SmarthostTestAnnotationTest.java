package dev.smarthost.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.testkit.SmarthostServer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@SmarthostTest(encryption = Encryption.TLS, username = "app", password = "pw")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmarthostTestAnnotationTest {
  private static int previousPort;

  @Test
  @Order(1)
  void injectsAServerConfiguredByTheAnnotation(SmarthostServer server, SmarthostSettings settings) {
    assertThat(server.encryption()).isEqualTo(Encryption.TLS);
    assertThat(settings).isEqualTo(server.settings());
    assertThat(settings.username()).contains("app");
    previousPort = server.port();
  }

  @Test
  @Order(2)
  void closesTheServerAfterEachTest(SmarthostServer server) {
    assertThat(server.port()).isNotEqualTo(previousPort);
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), previousPort).close())
        .isInstanceOf(ConnectException.class);
  }
}
