package dev.addressable.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one HTTP/1.1 answer with a Content-Length body from a kept-alive connection. */
final class Http {

  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  static String readOne(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-answer");
      }
      head.write(b);
      state = b == '\r' ? (state == 2 ? 3 : 1) : b == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    Matcher m = LENGTH.matcher(headers);
    if (!m.find()) {
      throw new IOException("no Content-Length in " + headers);
    }
    return headers + new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
  }

  private Http() {}
}
