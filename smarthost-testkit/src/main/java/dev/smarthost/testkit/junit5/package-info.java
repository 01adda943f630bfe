/**
 * JUnit 5 support: {@link dev.smarthost.testkit.junit5.SmarthostTest @SmarthostTest} or a
 * registered {@link dev.smarthost.testkit.junit5.SmarthostExtension} starts a {@link
 * dev.smarthost.testkit.SmarthostServer} and injects it.
 */
@NullMarked
package dev.smarthost.testkit.junit5;

import org.jspecify.annotations.NullMarked;
