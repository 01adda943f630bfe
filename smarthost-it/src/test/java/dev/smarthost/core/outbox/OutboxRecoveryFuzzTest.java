package dev.smarthost.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 random bit flips, truncations and zero-fills on a journal of forced messages: after each,
 * every message whose record the damage did not touch is still pending, and every one it did touch
 * is either intact (the damage changed nothing there) or copied aside whole in {@code corrupt/} (or
 * reported there as the cut end of the file). Nothing else is pending.
 */
@Timeout(300)
class OutboxRecoveryFuzzTest {
  private static final int RECORDS = 8;
  private static final int RUNS = 1_000;

  @TempDir Path tmp;

  record Rec(String id, long start, long end) {}

  @Test
  void everyRecordTheDamageMissedIsStillPendingAndEveryOneItHitIsAside() throws Exception {
    Path base = tmp.resolve("base");
    try (FileOutbox outbox = FileOutbox.open(base)) {
      for (int i = 0; i < RECORDS; i++) {
        // sizes from a few hundred bytes to 20 KiB, some with runs of zeros inside
        byte[] body = new byte[300 + i * 2_500];
        Arrays.fill(body, (byte) ('a' + i));
        Arrays.fill(body, body.length / 2, body.length / 2 + i * 100, (byte) 0);
        outbox.add(body, List.of("rcpt" + i + "@example.org"));
      }
    }
    List<Rec> recs = new ArrayList<>();
    Journal.read(
        base.resolve("journal"),
        new Journal.Reader() {
          @Override
          public void record(byte type, byte[] payload, Journal.Position at) {
            recs.add(new Rec(OutboxRecords.id(payload), at.recordStart(), at.recordEnd()));
          }

          @Override
          public void damaged(long segment, long start, long end, String why) {
            throw new AssertionError(why);
          }
        });
    assertThat(recs).hasSize(RECORDS);
    Path segment;
    try (var files = Files.list(base.resolve("journal"))) {
      segment = files.filter(p -> OutboxRecoveryTest.sizeOf(p) > 0).findFirst().orElseThrow();
    }
    byte[] original = Files.readAllBytes(segment);
    Random random = new Random(20261206L);
    int aside = 0;
    for (int run = 0; run < RUNS; run++) {
      byte[] damaged = original.clone();
      long from;
      long to;
      String what;
      switch (run % 3) {
        case 0 -> {
          int at = random.nextInt(original.length);
          damaged[at] ^= (byte) (1 << random.nextInt(8));
          from = at;
          to = at + 1;
          what = "bit flip at " + at;
        }
        case 1 -> {
          int cut = random.nextInt(original.length);
          damaged = Arrays.copyOf(original, cut);
          from = cut;
          to = original.length;
          what = "truncated to " + cut;
        }
        default -> {
          int start = random.nextInt(original.length + 1);
          int length = 1 + random.nextInt(random.nextBoolean() ? 64 : 64 * 1024);
          damaged = Arrays.copyOf(original, Math.max(original.length, start + length));
          Arrays.fill(damaged, start, start + length, (byte) 0);
          from = start;
          to = start + length;
          what = "zeros " + start + ".." + (start + length);
        }
      }
      Path dir = tmp.resolve("run" + run);
      Files.createDirectories(dir.resolve("journal"));
      Files.write(dir.resolve("journal").resolve(segment.getFileName()), damaged);
      Set<String> pending;
      List<long[]> corrupt = new ArrayList<>();
      try (FileOutbox outbox = FileOutbox.open(dir)) {
        pending = outbox.pending().stream().map(OutboxEntry::id).collect(Collectors.toSet());
        for (String name : outbox.corruptFiles()) {
          long start = Long.parseLong(name.substring(name.indexOf('@') + 1, name.length() - 4));
          corrupt.add(new long[] {start, start + Files.size(dir.resolve("corrupt").resolve(name))});
        }
      }
      for (Rec r : recs) {
        boolean touched = r.start() < to && from < r.end();
        boolean intact =
            r.end() <= damaged.length
                && Arrays.equals(
                    original,
                    (int) r.start(),
                    (int) r.end(),
                    damaged,
                    (int) r.start(),
                    (int) r.end());
        if (!touched || intact) {
          assertThat(pending).as("%s: untouched %s", what, r).contains(r.id());
        } else {
          assertThat(pending).as("%s: damaged %s", what, r).doesNotContain(r.id());
          long end = Math.min(r.end(), damaged.length);
          assertThat(corrupt)
              .as("%s: %s copied aside whole", what, r)
              .anySatisfy(c -> assertThat(c[0] <= r.start() && c[1] >= end).isTrue());
          aside++;
        }
      }
      assertThat(pending).as(what).hasSizeLessThanOrEqualTo(RECORDS);
      deleteTree(dir);
    }
    assertThat(aside)
        .as("the damage hit records often enough to prove something")
        .isGreaterThan(RUNS / 2);
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
