package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM is not a child of the parent (it must not leak the parent's management), so it repeats
 * the versions of the libraries consumers must line up with; they must be the ones we build with.
 */
class BomConsistencyTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomManagesTheVersionsTheBuildUses() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("smarthost-bom/pom.xml"));
    for (String property :
        List.of(
            "angus-mail.version",
            "jakarta-mail-api.version",
            "greenmail.version",
            "bouncycastle.version",
            "project.build.outputTimestamp")) {
      assertThat(property(bom, property)).as(property).isEqualTo(property(parent, property));
    }
    assertThat(property(bom, "version")).isEqualTo(property(parent, "version"));
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(pom);
    assertThat(m.find()).as("<%s> in the POM", name).isTrue();
    return m.group(1);
  }
}
