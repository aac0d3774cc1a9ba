package dev.addressable.relay.http.wire;

/**
 * The protocol's error code and a person's sentence for a bare HTTP status: for the errors Jetty
 * raises itself (a malformed request line, headers past the limit) and for routes nobody has.
 */
public final class ErrorCodes {

  private ErrorCodes() {}

  public static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "missing_key";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 411 -> "length_required";
      case 413 -> "message_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 417 -> "expectation_failed";
      case 431 -> "headers_too_large";
      case 500 -> "internal_error";
      case 501 -> "not_implemented";
      case 503 -> "overloaded";
      case 505 -> "http_version_not_supported";
      default -> status >= 500 ? "server_error" : "bad_request";
    };
  }

  public static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 404 -> "there is nothing here; see the README for the endpoints";
      case 405 -> "this method is not allowed here";
      case 408 -> "the request took too long to arrive";
      case 411 -> "a body needs a Content-Length or chunked encoding";
      case 413 -> "the request body is larger than the relay accepts";
      case 414 -> "the URL is longer than the relay accepts; send large messages with POST";
      case 417 -> "the relay does not meet this Expect header";
      case 431 -> "the request headers are larger than the relay accepts";
      case 500 -> "the relay failed to answer; this is a bug, and it has been logged";
      case 501 -> "the relay does not implement this (e.g. this Transfer-Encoding)";
      case 503 -> "the relay is busy or restarting; try again shortly";
      case 505 -> "the relay speaks HTTP/1.1 (and 1.0): send the request with that version";
      default -> status >= 500 ? "the relay could not serve this request" : "the request was refused";
    };
  }
}
