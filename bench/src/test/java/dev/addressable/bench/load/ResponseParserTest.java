package dev.addressable.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

  private final ResponseParser parser = new ResponseParser();
  private final List<HttpResponse> seen = new ArrayList<>();

  private void feed(String text, int pieceSize) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += pieceSize) {
      parser.feed(ByteBuffer.wrap(bytes, i, Math.min(pieceSize, bytes.length - i)), seen::add);
    }
  }

  @Test
  void readsContentLengthAnswersSplitAnywhere() throws IOException {
    feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nEtag: 7\r\n\r\nhello"
        + "HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}", 3);
    assertEquals(2, seen.size());
    assertEquals("hello", seen.get(0).bodyText());
    assertEquals("7", seen.get(0).header("etag"));
    assertEquals(202, seen.get(1).status());
  }

  @Test
  void readsChunkedAnswers() throws IOException {
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n", 4);
    assertEquals(1, seen.size());
    assertEquals("hello world", seen.get(0).bodyText());
  }

  @Test
  void answersWithoutBodyEndAtTheirHead() throws IOException {
    feed("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 1000);
    assertEquals(2, seen.size());
    assertEquals(304, seen.get(0).status());
    assertEquals(204, seen.get(1).status());
  }
}
