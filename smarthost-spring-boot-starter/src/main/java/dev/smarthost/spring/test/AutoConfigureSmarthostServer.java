package dev.smarthost.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Points the smarthost starter at a real local smarthost in a Spring test: a testkit {@link
 * dev.smarthost.testkit.SmarthostServer} bean (STARTTLS with its own CA, unless the test defines
 * its own {@code SmarthostServer} bean), and the {@code SmarthostResolver} and {@code SmtpOptions}
 * that send through it and trust it. No properties, no {@code @DynamicPropertySource}.
 *
 * <p>Before every test method the server is {@linkplain
 * dev.smarthost.testkit.SmarthostServer#reset() reset} (messages and faults forgotten), so each
 * test sees only its own mail even when Spring's context cache shares one server between test
 * classes. Autowire the server to assert on it:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureSmarthostServer
 * class NotificationsTest {
 *   @Autowired Notifications notifications;
 *   @Autowired SmarthostServer server;
 *
 *   @Test
 *   void warnsTheAdministrator() {
 *     notifications.diskAlmostFull("/var");
 *     assertThat(server).received(1).message(0).hasSubject("Disk almost full: /var");
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(SmarthostServerTestAutoConfiguration.class)
public @interface AutoConfigureSmarthostServer {}
