package com.example.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The testkit must not bring a JUnit of its own: the application's choice is the one that runs. */
class JUnitVersionTest {

  @Test
  void theApplicationsJUnitIsTheOneOnTheClassPath() {
    assertThat(ExtensionContext.class.getPackage().getImplementationVersion())
        .isEqualTo(System.getProperty("expected.junit.version"));
  }
}
