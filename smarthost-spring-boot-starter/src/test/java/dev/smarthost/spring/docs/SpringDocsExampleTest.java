package dev.smarthost.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot guide shows this package's application and test verbatim (between the markers),
 * so its examples compile and pass as written.
 */
class SpringDocsExampleTest {
  private static final Pattern REGION =
      Pattern.compile("// README: (?!end)([a-z ]+)\\n(.*?)\\n// README: end", Pattern.DOTALL);

  @Test
  void docsSpringBootShowsTheExamplesVerbatim() throws Exception {
    String guide = Files.readString(Path.of("../docs/spring-boot.md"));
    int count = 0;
    for (String file : new String[] {"Notifications.java", "NotificationsTest.java"}) {
      String source =
          Files.readString(Path.of("src/test/java/dev/smarthost/spring/docs").resolve(file));
      Matcher region = REGION.matcher(source);
      while (region.find()) {
        assertThat(guide)
            .as("docs/spring-boot.md shows the '%s' region of %s", region.group(1), file)
            .contains("```java\n" + region.group(2) + "\n```");
        count++;
      }
    }
    assertThat(count).isEqualTo(2);
  }
}
