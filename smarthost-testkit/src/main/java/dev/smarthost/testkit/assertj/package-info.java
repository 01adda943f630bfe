/**
 * AssertJ assertions for the testkit: {@code
 * SmarthostAssertions.assertThat(server).received(1).message(0).hasSubject("Hi").wasEncrypted()}.
 */
@NullMarked
package dev.smarthost.testkit.assertj;

import org.jspecify.annotations.NullMarked;
