package dev.smarthost.testkit.junit5;

import dev.smarthost.Encryption;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a fresh {@link dev.smarthost.testkit.SmarthostServer} for each test of the annotated class
 * and injects it, or its {@link dev.smarthost.SmarthostSettings}, as a test method parameter.
 *
 * <pre>{@code
 * @SmarthostTest(encryption = Encryption.STARTTLS, username = "app", password = "s3cret")
 * class NotificationTest {
 *   @Test
 *   void sends(SmarthostServer server) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(SmarthostExtension.class)
public @interface SmarthostTest {
  /**
   * The server's encryption mode.
   *
   * @return the mode; default {@link Encryption#STARTTLS}
   */
  Encryption encryption() default Encryption.STARTTLS;

  /**
   * The user name AUTH requires; empty (the default) means no AUTH.
   *
   * @return the user name
   */
  String username() default "";

  /**
   * The password AUTH requires, with {@link #username()}.
   *
   * @return the password
   */
  String password() default "";
}
