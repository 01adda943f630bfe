import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The floor of the aggregate coverage report: every module's tests and the end-to-end tests of
 * smarthost-it together must cover at least FLOOR of the published core modules' lines. Prints the
 * line coverage of each module and of all of them; fails the build below the floor.
 *
 * <p>Usage (the build runs it in smarthost-it's verify phase): {@code java CoverageFloor.java
 * target/site/jacoco-aggregate/jacoco.xml 0.85 [name=true|false ...]}; any {@code name=true} skips
 * the check, saying why.
 */
public class CoverageFloor {
  public static void main(String[] args) throws Exception {
    Path report = Path.of(args[0]);
    double floor = Double.parseDouble(args[1]);
    for (int i = 2; i < args.length; i++) {
      if (args[i].endsWith("=true")) {
        // a quick build (-Djacoco.skip, -DskipTests) or the system-servers run: nothing to hold up
        System.out.println("coverage floor: skipped (" + args[i] + ")");
        return;
      }
    }
    if (!Files.isRegularFile(report)) {
      System.err.println("coverage floor: " + report + " is missing (did the tests run with JaCoCo?)");
      System.exit(1);
    }
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    Document doc = builder.parse(report.toFile());
    Element root = doc.getDocumentElement();
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element group && group.getTagName().equals("group")) {
        double[] lines = lines(group);
        System.out.printf(
            "coverage: %-28s %5.1f %% of %d lines%n",
            group.getAttribute("name"), 100 * ratio(lines), (long) (lines[0] + lines[1]));
      }
    }
    double[] all = lines(root);
    if (all[0] + all[1] == 0) {
      System.err.println(
          "coverage floor: the report holds no lines: the modules it covers (api, core, redis,"
              + " testkit) were not built in this reactor; build them too, or add -Djacoco.skip=true");
      System.exit(1);
    }
    double ratio = ratio(all);
    System.out.printf(
        "coverage: %-28s %5.1f %% of %d lines (floor %.1f %%)%n",
        "all", 100 * ratio, (long) (all[0] + all[1]), 100 * floor);
    if (ratio < floor) {
      System.err.printf(
          "coverage floor: %.1f %% of the lines are covered, below the floor of %.1f %%%n",
          100 * ratio, 100 * floor);
      System.exit(1);
    }
  }

  /** The element's own LINE counter: {missed, covered}. */
  private static double[] lines(Element element) {
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element counter
          && counter.getTagName().equals("counter")
          && counter.getAttribute("type").equals("LINE")) {
        return new double[] {
          Double.parseDouble(counter.getAttribute("missed")),
          Double.parseDouble(counter.getAttribute("covered"))
        };
      }
    }
    return new double[] {0, 0};
  }

  private static double ratio(double[] lines) {
    double total = lines[0] + lines[1];
    return total == 0 ? 0 : lines[1] / total;
  }
}
