package dev.addressable.relay.http;

/** The protocol's error code and a person's sentence for a bare HTTP status. */
final class ErrorCodes {

  private ErrorCodes() {}

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "missing_key";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "message_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "headers_too_large";
      case 503 -> "overloaded";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
  }

  static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 404 -> "there is nothing here; see the README for the endpoints";
      case 405 -> "this method is not allowed here";
      case 408 -> "the request took too long to arrive";
      case 413 -> "the request body is larger than the relay accepts";
      case 414 -> "the URL is longer than the relay accepts; send large messages with POST";
      case 431 -> "the request headers are larger than the relay accepts";
      case 503 -> "the relay is busy or restarting; try again shortly";
      default -> status >= 500 ? "the relay failed to answer; this is a bug, and it has been logged" : "the request was refused";
    };
  }
}
