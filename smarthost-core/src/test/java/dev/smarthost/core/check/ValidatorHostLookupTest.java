package dev.smarthost.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.session.SmtpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security review, item 11: a host name whose lookup hangs keeps no validator worker past the
 * deadline, and twenty checks of it hold one lookup thread, not twenty.
 */
@Timeout(60)
class ValidatorHostLookupTest {

  @Test
  void aHungLookupEndsEachCheckAtItsDeadlineAndIsSharedByConcurrentChecks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    HostLookups hung =
        new HostLookups(
            host -> {
              calls.incrementAndGet();
              try {
                release.await(50, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new java.net.UnknownHostException(host);
            },
            4);
    SmtpConnectionValidator validator =
        SmtpConnectionValidator.create(SmtpOptions.defaults())
            .withDeadline(Duration.ofMillis(300))
            .withHostLookups(hung);
    SmarthostSettings settings = SmarthostSettings.builder().host("hung.example").build();
    try {
      long start = System.nanoTime();
      List<CompletableFuture<ValidationResult>> checks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        checks.add(CompletableFuture.supplyAsync(() -> validator.validate(settings)));
      }
      for (CompletableFuture<ValidationResult> check : checks) {
        ValidationResult r = check.get(10, TimeUnit.SECONDS);
        assertThat(r.failure().orElseThrow().kind()).isEqualTo(FailureKind.UNKNOWN_HOST);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(calls.get()).isEqualTo(1);

      // No validator worker is still waiting for the lookup.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (workersWaitingForTheLookup() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(workersWaitingForTheLookup()).isZero();
    } finally {
      release.countDown();
    }
  }

  private static long workersWaitingForTheLookup() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("smarthost-validator-"))
        .filter(
            e -> {
              for (StackTraceElement frame : e.getValue()) {
                if (frame.getClassName().endsWith("HostLookups")) {
                  return true;
                }
              }
              return false;
            })
        .count();
  }
}
