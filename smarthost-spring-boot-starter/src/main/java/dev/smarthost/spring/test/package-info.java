/**
 * Spring test support: {@link dev.smarthost.spring.test.AutoConfigureSmarthostServer} points the
 * starter at a real local smarthost (the testkit's {@link dev.smarthost.testkit.SmarthostServer})
 * and empties it before every test method, also when Spring reuses the context between test
 * classes. Needs {@code dev.smarthost:smarthost-testkit} on the test class path.
 */
@NullMarked
package dev.smarthost.spring.test;

import org.jspecify.annotations.NullMarked;
