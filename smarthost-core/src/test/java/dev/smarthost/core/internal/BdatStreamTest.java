package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BdatStreamTest {
  private final List<String> chunks = new ArrayList<>();
  private final ByteArrayOutputStream joined = new ByteArrayOutputStream();

  private BdatStream stream(int chunkSize) {
    return new BdatStream(
        chunkSize,
        (bytes, length, last) -> {
          chunks.add(length + (last ? " LAST" : ""));
          joined.write(bytes, 0, length);
        });
  }

  @Test
  void aMessageShorterThanAChunkIsOneLastChunk() throws IOException {
    BdatStream s = stream(64 * 1024);
    s.write("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
    s.finish();
    s.finish();
    assertThat(chunks).containsExactly("21 LAST");
  }

  @Test
  void fullChunksGoOutOnlyWhenMoreFollowsSoTheLastIsAlwaysMarked() throws IOException {
    byte[] data = new byte[3 * 16 * 1024];
    Arrays.fill(data, (byte) 'x');
    BdatStream s = stream(16 * 1024);
    s.write(data);
    assertThat(chunks).containsExactly("16384", "16384");
    s.finish();
    // an exact multiple ends with an empty LAST chunk, as RFC 3030 allows
    assertThat(chunks).containsExactly("16384", "16384", "16384 LAST");
    assertThat(joined.toByteArray()).isEqualTo(data);
  }

  @Test
  void bytesWrittenOneByOneAndInPiecesArriveInOrderAcrossChunkBorders() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    BdatStream s = stream(1024);
    for (int i = 0; i < 5000; i++) {
      if (i % 7 == 0) {
        byte[] piece = ("piece " + i + ";").getBytes(StandardCharsets.US_ASCII);
        s.write(piece, 0, piece.length);
        expected.writeBytes(piece);
      } else {
        s.write('a' + i % 26);
        expected.write('a' + i % 26);
      }
    }
    s.finish();
    assertThat(joined.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(chunks.subList(0, chunks.size() - 1)).allMatch("1024"::equals);
    assertThat(chunks.get(chunks.size() - 1)).endsWith(" LAST");
  }
}
