package dev.smarthost.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark in one JVM session of JMH and writes the scores and the target ratios as a
 * Markdown table. Usage: {@code java -cp benchmarks.jar dev.smarthost.benchmarks.RunAll
 * RESULTS.md}.
 */
public final class RunAll {
  private RunAll() {}

  /**
   * Runs the benchmarks.
   *
   * @param args the Markdown file to write
   * @throws RunnerException if JMH fails
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws RunnerException, IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "RESULTS.md");
    String include = args.length > 1 ? args[1] : "dev\\.smarthost\\.benchmarks\\..*Benchmark";
    Options options = new OptionsBuilder().include(include).build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> scores = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
      for (String key : r.getParams().getParamsKeys()) {
        name += "." + key + r.getParams().getParam(key);
      }
      scores.put(
          name,
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
      units.put(name, r.getPrimaryResult().getScoreUnit());
      if (r.getParams().getBenchmark().contains("TestkitBenchmark")) {
        scores.put(
            name + ".p50",
            new double[] {r.getPrimaryResult().getStatistics().getPercentile(50), 0});
        units.put(name + ".p50", r.getPrimaryResult().getScoreUnit());
      }
      if (name.contains("Latency")) {
        scores.put(
            name + ".p99",
            new double[] {r.getPrimaryResult().getStatistics().getPercentile(99), 0});
        units.put(name + ".p99", r.getPrimaryResult().getScoreUnit());
      }
    }
    Files.writeString(out, markdown(scores, units) + keptSections(out), StandardCharsets.UTF_8);
    System.out.println(markdown(scores, units));
  }

  /**
   * The sections of an existing results file after its first one (the issues' own runs, "## …"),
   * kept below the new table instead of being overwritten.
   */
  private static String keptSections(Path out) throws IOException {
    if (!Files.exists(out)) {
      return "";
    }
    String old = Files.readString(out, StandardCharsets.UTF_8);
    int second = old.indexOf("\n## ");
    return second < 0 ? "" : "\n" + old.substring(second + 1);
  }

  private static String markdown(Map<String, double[]> s, Map<String, String> units) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n")
        .append("Measured by `benchmarks/run.sh` on ")
        .append(LocalDate.now())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(
            ". Testkit server on loopback in the same JVM, STARTTLS + AUTH. Mailer benchmarks: 8 warm-up and")
        .append(
            " 5 measured iterations of 3 s; the others 2 and 3; JMH, one fork per benchmark. The ratios")
        .append(
            " matter, not the absolute figures; with client and server sharing one JVM and 2 cores, the")
        .append(
            " error of the throughput figures is 25-50 %, so ratios near 1 are within noise.\n\n")
        .append("| benchmark | score | error | unit |\n| --- | ---: | ---: | --- |\n");
    s.forEach(
        (name, v) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %.2f | ± %.2f | %s |%n",
                    name,
                    v[0],
                    v[1],
                    units.get(name))));
    b.append("\n| ratio | target | measured | met |\n| --- | --- | ---: | --- |\n");
    ratio(
        b,
        s,
        "mailer, 1 thread ÷ one reused stock Transport",
        "mailer1",
        "reusedTransport1",
        "≥ 0.9",
        0.9,
        true);
    ratio(
        b,
        s,
        "mailer, 1 thread ÷ stock Transport.send() per message",
        "mailer1",
        "transportSend1",
        "≥ 10",
        10,
        true);
    ratio(
        b,
        s,
        "mailer, 4 threads ÷ one reused stock Transport",
        "mailer4",
        "reusedTransport1",
        "≥ 1.5",
        1.5,
        true);
    ratio(
        b,
        s,
        "mailer, 4 threads ÷ stock Transport.send(), 4 threads",
        "mailer4",
        "transportSend4",
        "(for scale)",
        0,
        true);
    ratio(
        b,
        s,
        "one reused smarthost-Session Transport ÷ one reused stock Transport",
        "reusedSmarthostTransport1",
        "reusedTransport1",
        "(for scale)",
        0,
        true);
    ratio(
        b,
        s,
        "one reused smarthost-Session Transport ÷ the same with a ScheduledThreadPoolExecutor as"
            + " write-timeout timer",
        "reusedSmarthostTransport1",
        "reusedSmarthostThreadPoolTimer1",
        "(for scale)",
        0,
        true);
    ratio(
        b,
        s,
        "cached resolve (watched) ÷ fresh parse",
        "cachedWatched",
        "freshParse",
        "≥ 100",
        100,
        true);
    ratio(
        b,
        s,
        "cached resolve (unwatched, one stat) ÷ fresh parse",
        "cachedUnwatched",
        "freshParse",
        "(for scale)",
        0,
        true);
    if (s.containsKey("enqueue1")) {
      double rate = s.get("enqueue1")[0];
      b.append(
          String.format(
              Locale.ROOT,
              "| durable enqueue, 1 thread (msg/s) | ≥ 1000 | %.0f | %s |%n",
              rate,
              rate >= 1000 ? "yes" : "NO"));
    }
    if (s.containsKey("enqueueLatency1.p99")) {
      double p99 = s.get("enqueueLatency1.p99")[0];
      b.append(
          String.format(
              Locale.ROOT,
              "| durable enqueue p99, 1 thread (ms) | ≤ 5 | %.2f | %s |%n",
              p99,
              p99 <= 5 ? "yes" : "NO"));
    }
    ratio(
        b,
        s,
        "durable enqueue, 4 threads ÷ 1 thread (group commit)",
        "enqueue4",
        "enqueue1",
        "(for scale)",
        0,
        true);
    ratio(
        b,
        s,
        "end to end: through the file outbox ÷ the in-memory sendAsync queue",
        "outboxDelivered100",
        "asyncDelivered100",
        "≥ 0.8",
        0.8,
        true);
    ratio(
        b,
        s,
        "end to end from 4 producers: file outbox ÷ in-memory sendAsync queue",
        "outboxDelivered100From4",
        "asyncDelivered100From4",
        "≥ 0.8",
        0.8,
        true);
    if (s.containsKey("validateAgainstTarpit")) {
      double ms = s.get("validateAgainstTarpit")[0];
      double deadline = ValidatorBenchmark.DEADLINE.toMillis();
      b.append(
          String.format(
              Locale.ROOT,
              "| validator against a tarpit ÷ its %.0f ms deadline | ≤ 1.10 | %.3f | %s |%n",
              deadline,
              ms / deadline,
              ms / deadline <= 1.10 ? "yes" : "NO"));
    }
    double bound = TarpitBenchmark.BOUND.toMillis();
    for (String name : new String[] {"sessionTransportSend", "mailerSend"}) {
      if (s.containsKey(name)) {
        double ms = s.get(name)[0];
        b.append(
            String.format(
                Locale.ROOT,
                "| %s against a tarpit ÷ its %.0f ms read timeout | ≤ 1.10 | %.3f | %s |%n",
                name,
                bound,
                ms / bound,
                ms / bound <= 1.10 ? "yes" : "NO"));
      }
    }
    ratio(
        b,
        s,
        "one test on its own testkit server (STARTTLS + AUTH) ÷ on its own GreenMail (plain), medians",
        "oneTestTestkit.p50",
        "oneTestGreenMail.p50",
        "≤ 1.0",
        1.0,
        false);
    atMost(b, s, "testkit server start + stop, median", "startStopTestkit.p50", 2);
    pipelining(b, s);
    atMost(
        b, s, "one STARTTLS + AUTH send through server.session(), median", "sendTestkit.p50", 15);
    return b.toString();
  }

  /**
   * Issue 22: the mailer against one raw reused Angus transport per connection at 20 ms round trip
   * (goal ≥ 2.5), the mailer against itself without PIPELINING and CHUNKING on loopback (goal ≥
   * 0.95), and round trips per message as measured: connections ÷ (messages/s × round trip).
   */
  private static void pipelining(StringBuilder b, Map<String, double[]> s) {
    double rtt = 2 * PipeliningBenchmark.ONE_WAY_DELAY_MILLIS / 1000.0;
    for (String recipients : new String[] {"1", "5"}) {
      String p = ".recipients" + recipients;
      for (int connections : new int[] {1, 4}) {
        String mailer = "rtt20Mailer" + connections + p;
        String angus = "rtt20Angus" + connections + p;
        ratio(
            b,
            s,
            "20 ms RTT, "
                + connections
                + " connection(s), "
                + recipients
                + " recipient(s): mailer ÷ raw reused Angus",
            mailer,
            angus,
            "≥ 2.5",
            2.5,
            true);
        for (String name : new String[] {mailer, angus}) {
          if (s.containsKey(name)) {
            double perMessage = connections / (s.get(name)[0] * rtt);
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s: round trips per message (connections ÷ (msg/s × RTT)) | %s | %.2f | %s |%n",
                    name,
                    name.startsWith("rtt20Mailer") ? "≤ 1.5" : "(for scale)",
                    perMessage,
                    name.startsWith("rtt20Mailer") ? (perMessage <= 1.5 ? "yes" : "NO") : "—"));
          }
        }
      }
      ratio(
          b,
          s,
          "loopback, " + recipients + " recipient(s): mailer ÷ mailer without PIPELINING/CHUNKING",
          "loopbackMailer1" + p,
          "loopbackLockstepMailer1" + p,
          "≥ 0.95",
          0.95,
          true);
    }
  }

  /** A median that must stay at or under a bound. */
  private static void atMost(
      StringBuilder b, Map<String, double[]> s, String label, String name, double max) {
    if (!s.containsKey(name)) {
      return;
    }
    double value = s.get(name)[0];
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | ≤ %.0f ms | %.2f ms | %s |%n",
            label,
            max,
            value,
            value <= max ? "yes" : "NO"));
  }

  private static void ratio(
      StringBuilder b,
      Map<String, double[]> s,
      String label,
      String a,
      String over,
      String target,
      double min,
      boolean higherIsBetter) {
    if (!s.containsKey(a) || !s.containsKey(over)) {
      return;
    }
    double value = s.get(a)[0] / s.get(over)[0];
    String met = min == 0 ? "—" : (higherIsBetter ? value >= min : value <= min) ? "yes" : "NO";
    b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s |%n", label, target, value, met));
  }
}
