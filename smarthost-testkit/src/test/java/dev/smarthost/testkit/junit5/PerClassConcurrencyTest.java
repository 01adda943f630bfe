package dev.smarthost.testkit.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.SmarthostServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A per-class server with concurrent test methods is refused with the reason, not raced. */
class PerClassConcurrencyTest {

  /** Run only through the engine below (nested classes are not discovered by Surefire). */
  @Execution(ExecutionMode.CONCURRENT)
  static class SharedServerConcurrentMethods {
    @RegisterExtension
    static SmarthostExtension smarthost =
        SmarthostExtension.builder().encryption(Encryption.NONE).perClass().build();

    @Test
    void one(SmarthostServer server) {}

    @Test
    void two(SmarthostServer server) {}
  }

  @Test
  void perClassWithConcurrentMethodsFailsEachTestWithTheReason() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .selectors(selectClass(SharedServerConcurrentMethods.class))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(
            2,
            event(
                finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(
                        m -> m.contains("would race with test methods running concurrently")))));
  }

  @Test
  void perClassWithoutParallelExecutionStillWorks() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(selectClass(SharedServerConcurrentMethods.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(2).failed(0));
  }
}
