package dev.smarthost.spring.test;

import dev.smarthost.testkit.SmarthostServer;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Empties every {@link SmarthostServer} bean of the test's context before each test method, so a
 * test never sees the mail of another one, also when Spring's context cache shares the server.
 * Registered for all Spring tests (like Spring Boot's own listeners); does nothing in a context
 * without a server, and is skipped by Spring when the testkit is not on the class path.
 */
public final class SmarthostServerResetListener extends AbstractTestExecutionListener {
  /** Creates the listener; Spring's test framework calls it. */
  public SmarthostServerResetListener() {}

  /** Before Spring's own listeners that may send (e.g. {@code @Sql}) and after DI. */
  @Override
  public int getOrder() {
    return 2100;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext
          .getApplicationContext()
          .getBeanProvider(SmarthostServer.class)
          .forEach(SmarthostServer::reset);
    }
  }
}
