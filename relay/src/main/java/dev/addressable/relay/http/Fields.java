package dev.addressable.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * The named fields of a request: its query string, and for a POST its JSON object or form body on
 * top. Every field is one string; a repeated or structured field is refused, not guessed at.
 */
final class Fields {

  private final Map<String, String> values;

  private Fields(Map<String, String> values) {
    this.values = values;
  }

  static Fields of(Context ctx) {
    Map<String, String> values = new HashMap<>();
    readQuery(ctx.req().getQueryString(), values);
    if ("POST".equals(ctx.method().name())) {
      String type = mediaType(ctx);
      if (type.equals("application/json")) {
        readJsonObject(ctx.body(), values);
      } else if (type.equals("application/x-www-form-urlencoded") || type.equals("multipart/form-data")) {
        putAll(values, ctx.formParamMap());
      }
    }
    return new Fields(values);
  }

  /** The fields of a query string (without the {@code ?}); {@code null} is no query. */
  static Fields ofQuery(String query) {
    Map<String, String> values = new HashMap<>();
    readQuery(query, values);
    return new Fields(values);
  }

  String get(String name) {
    return values.get(name);
  }

  /** The request's media type, lower case, without parameters; empty if none. */
  static String mediaType(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static void readQuery(String query, Map<String, String> into) {
    if (query == null || query.isEmpty()) {
      return;
    }
    // As servlet parsing did: bytes that are not UTF-8 become U+FFFD (Requests.checkUrl has
    // refused stray '%' already).
    try {
      UrlEncoded.decodeUtf8To(query, 0, query.length(), (name, value) -> {
        if (into.putIfAbsent(name, value) != null) {
          throw ApiException.badRequest("bad_request", "field '" + Requests.abbreviate(name) + "' is given more than once");
        }
      }, false, true, true);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", "the query string is not valid percent-encoded UTF-8");
    }
  }

  private static void putAll(Map<String, String> into, Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> entry : params.entrySet()) {
      List<String> list = entry.getValue();
      if (list.size() > 1) {
        throw ApiException.badRequest("bad_request", "field '" + entry.getKey() + "' is given more than once");
      }
      if (!list.isEmpty()) {
        into.put(entry.getKey(), list.get(0));
      }
    }
  }

  private static void readJsonObject(String body, Map<String, String> into) {
    if (body.isBlank()) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("bad_json", "the body is not valid JSON");
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("bad_json", "the body must be a JSON object of string fields");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (!value.isValueNode()) {
        throw ApiException.badRequest("bad_json", "field '" + field.getKey() + "' must be a string");
      }
      into.put(field.getKey(), value.asText());
    }
  }
}
