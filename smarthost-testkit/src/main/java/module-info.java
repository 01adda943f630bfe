/**
 * A real local smarthost for tests: {@link dev.smarthost.testkit.SmarthostServer} in every
 * encryption mode with required AUTH and faults, a JUnit 5 extension and AssertJ assertions.
 */
@org.jspecify.annotations.NullMarked
module dev.smarthost.testkit {
  requires transitive dev.smarthost.core;
  requires greenmail;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static transitive org.junit.jupiter.api;
  requires static transitive org.assertj.core;

  exports dev.smarthost.testkit;
  exports dev.smarthost.testkit.junit5;
  exports dev.smarthost.testkit.assertj;
}
