package dev.addressable.relay.http.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A request body read as text or as form fields. The body is already in memory ({@link Call});
 * this only decodes it, and refuses what it cannot decode with a clear 4xx, never a 500.
 */
public final class Bodies {

  private Bodies() {}

  /**
   * The body as text in the charset its {@code Content-Type} names (UTF-8 if none). Bytes that are
   * not valid in that charset become U+FFFD, as browsers decode.
   *
   * @throws ApiException 415 {@code unsupported_media_type} for a charset this JVM does not know
   */
  public static String text(Call call) {
    if (call.body().length == 0) {
      return "";
    }
    Charset charset = charset(call.header("Content-Type"));
    try {
      return charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(call.body())).toString();
    } catch (CharacterCodingException e) { // not with REPLACE; kept for the checked signature
      throw ApiException.badRequest("bad_request", "the body is not valid " + charset.name());
    }
  }

  private static Charset charset(String contentType) {
    String charset = parameters(contentType).get("charset");
    if (charset == null || charset.isBlank()) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(charset.trim());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new ApiException(415, "unsupported_media_type",
          "the body's charset " + Requests.abbreviate(charset) + " is not supported: send UTF-8");
    }
  }

  private static Map<String, String> parameters(String contentType) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (contentType != null) {
      HttpField.getValueParameters(contentType.toLowerCase(java.util.Locale.ROOT), parameters);
    }
    return parameters;
  }

  /**
   * The text fields of a {@code multipart/form-data} body, by name; parts that are files are
   * skipped.
   *
   * @throws ApiException 400 for a body that is not valid multipart, or a field given twice
   */
  static Map<String, String> multipart(Call call) {
    String boundary = MultiPart.extractBoundary(call.header("Content-Type"));
    if (boundary == null || boundary.isEmpty()) {
      throw ApiException.badRequest("bad_request", "a multipart/form-data body needs a boundary in its Content-Type");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxMemoryFileSize(call.body().length + 1L); // it is in memory already: never spill to disk
    parser.setMaxParts(64);
    MultiPartFormData.Parts parts;
    try {
      parts = parser.parse(Content.Source.from(ByteBuffer.wrap(call.body()))).get();
    } catch (ExecutionException | CompletionException e) {
      throw ApiException.badRequest("bad_request", "the multipart/form-data body is malformed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.badRequest("bad_request", "the multipart/form-data body could not be read");
    }
    try (parts) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (MultiPart.Part part : parts) {
        if (part.getName() == null || part.getFileName() != null) {
          continue;
        }
        if (fields.put(part.getName(), part.getContentAsString(StandardCharsets.UTF_8)) != null) {
          throw ApiException.badRequest("bad_request", "field '" + Requests.abbreviate(part.getName()) + "' is given more than once");
        }
      }
      return fields;
    }
  }
}
