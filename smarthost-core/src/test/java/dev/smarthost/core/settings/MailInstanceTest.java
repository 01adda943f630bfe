package dev.smarthost.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailInstanceTest {
  private static final String TWO =
      "# cluster\nmail1.host=10.5.4.1\nmail1.port=10587\nmail1.node=1\nmail1.mail_hostname=mail.example.org\n"
          + "mail1.user_domain=example.org\nmail1.module_uuid=ignored\n\nmail2.host=fd00::2\n";

  private static MailInstanceDirectory fixed(List<MailInstance> instances) {
    return new MailInstanceDirectory() {
      @Override
      public List<MailInstance> instances() {
        return instances;
      }

      @Override
      public String toString() {
        return "test directory";
      }
    };
  }

  @Test
  void parsesTheFile() {
    List<MailInstance> all = FileMailInstanceDirectory.parse("f", TWO);
    assertThat(all).hasSize(2);
    MailInstance mail1 = all.get(0);
    assertThat(mail1.id()).isEqualTo("mail1");
    assertThat(mail1.host()).isEqualTo("10.5.4.1");
    assertThat(mail1.submissionPort()).isEqualTo(10587);
    assertThat(mail1.node()).contains("1");
    assertThat(mail1.mailHostname()).contains("mail.example.org");
    assertThat(mail1.userDomain()).contains("example.org");
    assertThat(all.get(1).host()).isEqualTo("fd00::2");
    assertThat(all.get(1).submissionPort()).isEqualTo(MailInstance.DEFAULT_SUBMISSION_PORT);
  }

  @Test
  void fileErrorsNameLineAndKey() {
    assertThatThrownBy(
            () -> FileMailInstanceDirectory.parse("f", "mail1.host=10.0.0.1\nmail1.port=x\n"))
        .isInstanceOf(SmarthostConfigurationException.class)
        .hasMessage("f line 2, mail1.port: 'x' is not a number");
    assertThatThrownBy(() -> FileMailInstanceDirectory.parse("f", "mail1.port=25\n"))
        .hasMessage("f, mail1.host: required");
    assertThatThrownBy(() -> FileMailInstanceDirectory.parse("f", "mail1.host=a b\n"))
        .hasMessageStartingWith("f line 1, mail1.host: must not contain spaces");
    assertThatThrownBy(() -> FileMailInstanceDirectory.parse("f", "nonsense\n"))
        .hasMessage("f line 1: expected <id>.<field>=value");
  }

  @Test
  void relayIsPort25InClearTextWithoutCredentials() {
    MailInstanceDirectory d = fixed(FileMailInstanceDirectory.parse("f", "mail1.host=10.5.4.1\n"));
    SmarthostSettings s = MailInstanceSmarthostResolver.builder(d).build().resolve().orElseThrow();
    assertThat(s)
        .isEqualTo(
            SmarthostSettings.builder()
                .host("10.5.4.1")
                .port(25)
                .encryption(Encryption.NONE)
                .verifyTls(false)
                .build());
  }

  @Test
  void submissionIsStarttlsWithCredentials() {
    MailInstanceDirectory d = fixed(FileMailInstanceDirectory.parse("f", TWO));
    SmarthostSettings s =
        MailInstanceSmarthostResolver.builder(d)
            .instance("mail1")
            .mode(MailInstanceSmarthostResolver.Mode.SUBMISSION)
            .credentials("app", "pw")
            .build()
            .resolve()
            .orElseThrow();
    assertThat(s)
        .isEqualTo(
            SmarthostSettings.builder()
                .host("10.5.4.1")
                .port(10587)
                .encryption(Encryption.STARTTLS)
                .verifyTls(true)
                .credentials("app", "pw")
                .build());
    assertThatThrownBy(
            () ->
                MailInstanceSmarthostResolver.builder(d)
                    .mode(MailInstanceSmarthostResolver.Mode.SUBMISSION)
                    .build())
        .hasMessage("credentials: required for SUBMISSION mode");
  }

  @Test
  void noneOrSeveralWithoutAChoiceListTheIds() {
    assertThatThrownBy(
            () -> MailInstanceSmarthostResolver.builder(fixed(List.of())).build().resolve())
        .isInstanceOf(SmarthostConfigurationException.class)
        .hasMessage("test directory: no Mail instance is registered");
    MailInstanceDirectory two = fixed(FileMailInstanceDirectory.parse("f", TWO));
    assertThatThrownBy(() -> MailInstanceSmarthostResolver.builder(two).build().resolve())
        .hasMessage(
            "test directory: several Mail instances are registered (mail1, mail2): choose one with instance(id)");
    assertThatThrownBy(
            () -> MailInstanceSmarthostResolver.builder(two).instance("mail3").build().resolve())
        .hasMessage(
            "test directory: Mail instance mail3 is not registered; registered: mail1, mail2");
  }
}
