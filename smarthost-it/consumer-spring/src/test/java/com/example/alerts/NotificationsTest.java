package com.example.alerts;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.spring.test.AutoConfigureSmarthostServer;
import dev.smarthost.testkit.SmarthostServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The starter's test support from the published artifacts, in a web application with actuator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureSmarthostServer
class NotificationsTest {
  @Autowired Notifications notifications;
  @Autowired SmarthostServer server;
  @LocalServerPort int port;

  @Test
  void warnsTheAdministrator() {
    notifications.diskAlmostFull("/var");
    assertThat(server).received(1).message(0).hasSubject("Disk almost full: /var").wasEncrypted();
  }

  @Test
  void everyTestStartsWithAnEmptyServer() {
    notifications.diskAlmostFull("/srv");
    assertThat(server).received(1).message(0).hasSubject("Disk almost full: /srv");
  }

  @Test
  void healthAndMetersAreThereBeforeAnyFailure() throws Exception {
    HttpResponse<String> health = get("/actuator/health/smarthost");
    org.assertj.core.api.Assertions.assertThat(health.statusCode()).isEqualTo(200);
    org.assertj.core.api.Assertions.assertThat(health.body())
        .contains("\"status\":\"UP\"")
        .contains("\"checkedAt\"");
    for (String meter : new String[] {"smarthost.mail.failed", "smarthost.mail.retried"}) {
      HttpResponse<String> metric = get("/actuator/metrics/" + meter);
      org.assertj.core.api.Assertions.assertThat(metric.statusCode()).as(meter).isEqualTo(200);
      org.assertj.core.api.Assertions.assertThat(metric.body()).contains("\"description\":\"");
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
