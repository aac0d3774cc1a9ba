package dev.addressable.relay.http.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * The named fields of a request: its query string, and for a POST its form body on top (and, where
 * the endpoint takes fields from it, its JSON object). Every field is one string; a repeated or
 * structured field is refused, not guessed at.
 */
public final class Fields {

  /** The names the relay reads: a query naming them shares these strings instead of copying its own. */
  private static final String[] KNOWN_NAMES = {"client", "channel", "cursor", "key", "timeout", "callback", "message",
      "ttl", "topic", "wait", "to", "id", "ack", "mid"};

  /** Names and values, alternating: a request has a handful of fields, so a scan beats a hash map. */
  private String[] pairs = new String[12];
  private int size;

  private Fields() {}

  /**
   * These fields (the query's) with a POST's form fields on top; with {@code jsonFields} a JSON
   * body's object fields too (a send's JSON body is its message, not fields).
   */
  public Fields withBody(Call call, boolean jsonFields) {
    if (call.is("POST")) {
      switch (call.mediaType()) {
        case "application/json" -> {
          if (jsonFields) {
            readJsonObject(Bodies.text(call), this);
          }
        }
        case "application/x-www-form-urlencoded" -> readForm(Bodies.text(call), this);
        case "multipart/form-data" -> Bodies.multipart(call).forEach(this::putOnce);
        default -> { }
      }
    }
    return this;
  }

  /** The fields of a query string (without the {@code ?}); {@code null} is no query. */
  public static Fields ofQuery(String query) {
    Fields values = new Fields();
    readQuery(query, values);
    return values;
  }

  public String get(String name) {
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

  /** Sets {@code name}, refusing it if the query set it already. */
  private void putOnce(String name, String value) {
    if (!putIfAbsent(name, value)) {
      throw ApiException.badRequest("bad_request", "field '" + Requests.abbreviate(name) + "' is given more than once");
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

  /** A form body's fields beside the query's: a field in both is refused, as a field given twice. */
  private static void readForm(String body, Fields into) {
    if (!body.isEmpty() && !Requests.isWellEncoded(body)) {
      throw ApiException.badRequest("bad_request", "the form has a '%' not followed by two hex digits: percent-encode it as %25");
    }
    readQuery(body, into);
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
      into.putOnce(field.getKey(), value.asText());
    }
  }
}
