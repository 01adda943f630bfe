package com.example.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testkit.junit5.SmarthostExtension;
import dev.smarthost.testkit.junit5.SmarthostTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs test classes through this JUnit's own engine, then checks that every server the extension
 * started was closed: 20 per-test servers and one per-class server.
 */
class ServersAreClosedTest {
  static final List<Integer> PORTS = new CopyOnWriteArrayList<>();

  @Test
  void perTestServersAreClosedAfterEachTest() {
    PORTS.clear();
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(TwentyTests.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(20).succeeded(20));
    // A port may come back for a later test once its server is closed; what counts is that none
    // is still listening afterwards.
    assertThat(PORTS).hasSize(20);
    assertThat(PORTS).allSatisfy(port -> assertThat(listening(port)).as("port %d", port).isFalse());
  }

  @Test
  void aPerClassServerIsClosedAfterTheClass() {
    PORTS.clear();
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(PerClass.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(3).succeeded(3));
    assertThat(PORTS).hasSize(3).containsOnly(PORTS.get(0));
    assertThat(listening(PORTS.get(0))).isFalse();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @SmarthostTest
  static class TwentyTests {
    @org.junit.jupiter.api.RepeatedTest(20)
    void send(SmarthostServer server) {
      PORTS.add(server.port());
    }
  }

  static class PerClass {
    @RegisterExtension
    static SmarthostExtension smarthost = SmarthostExtension.builder().perClass().build();

    @org.junit.jupiter.api.RepeatedTest(3)
    void send(SmarthostServer server) {
      PORTS.add(server.port());
    }
  }
}
