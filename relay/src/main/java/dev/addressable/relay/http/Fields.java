package dev.addressable.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  /** The names the relay reads: a query naming them shares these strings instead of copying its own. */
  private static final String[] KNOWN_NAMES = {"client", "channel", "cursor", "key", "timeout", "callback", "message",
      "ttl", "topic", "wait", "to", "id", "ack"};

  /** Names and values, alternating: a request has a handful of fields, so a scan beats a hash map. */
  private String[] pairs = new String[12];
  private int size;

  private Fields() {}

  static Fields of(Context ctx) {
    Fields values = new Fields();
    readQuery(ctx.req().getQueryString(), values);
    if ("POST".equals(ctx.method().name())) {
      String type = mediaType(ctx);
      if (type.equals("application/json")) {
        readJsonObject(ctx.body(), values);
      } else if (type.equals("application/x-www-form-urlencoded") || type.equals("multipart/form-data")) {
        putAll(values, ctx.formParamMap());
      }
    }
    return values;
  }

  /** The fields of a query string (without the {@code ?}); {@code null} is no query. */
  static Fields ofQuery(String query) {
    Fields values = new Fields();
    readQuery(query, values);
    return values;
  }

  String get(String name) {
    int at = indexOf(name);
    return at < 0 ? null : pairs[at + 1];
  }

  private int indexOf(String name) {
    for (int i = 0; i < size; i += 2) {
      if (pairs[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Sets {@code name}, replacing an earlier value. */
  private void put(String name, String value) {
    int at = indexOf(name);
    if (at >= 0) {
      pairs[at + 1] = value;
    } else {
      add(name, value);
    }
  }

  /** Sets {@code name} unless it is set; false if it was. */
  private boolean putIfAbsent(String name, String value) {
    if (indexOf(name) >= 0) {
      return false;
    }
    add(name, value);
    return true;
  }

  private void add(String name, String value) {
    if (size == pairs.length) {
      pairs = Arrays.copyOf(pairs, size * 2);
    }
    pairs[size++] = name;
    pairs[size++] = value;
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

  /**
   * Reads {@code name=value&…} into {@code into}, refusing a name given twice. Parts without
   * escapes (most of them: ids, keys, cursors) are taken as they are; parts with {@code %} or
   * {@code +} are decoded as UTF-8, and bytes that are not UTF-8 become U+FFFD, as servlet parsing
   * did ({@link Requests#checkUrl} has refused a stray '%' already).
   */
  private static void readQuery(String query, Fields into) {
    if (query == null || query.isEmpty()) {
      return;
    }
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        int equals = query.indexOf('=', start);
        boolean hasValue = equals >= 0 && equals < end;
        String name = name(query, start, hasValue ? equals : end);
        String value = hasValue ? decode(query, equals + 1, end) : "";
        if (!into.putIfAbsent(name, value)) {
          throw ApiException.badRequest("bad_request", "field '" + Requests.abbreviate(name) + "' is given more than once");
        }
      }
      start = end + 1;
    }
  }

  private static String name(String query, int from, int to) {
    for (String known : KNOWN_NAMES) {
      if (known.length() == to - from && query.startsWith(known, from)) {
        return known;
      }
    }
    return decode(query, from, to);
  }

  private static String decode(String query, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = query.charAt(i);
      if (c == '%' || c == '+') {
        try {
          return UrlEncoded.decodeString(query, from, to - from, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest("bad_request", "the query string is not valid percent-encoded UTF-8");
        }
      }
    }
    return query.substring(from, to);
  }

  private static void putAll(Fields into, Map<String, List<String>> params) {
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

  private static void readJsonObject(String body, Fields into) {
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
