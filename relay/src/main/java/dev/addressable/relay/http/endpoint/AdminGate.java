package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.secret.AdminToken;

/**
 * What {@code --admin-token} asks of the operational pages ({@code /metrics}, {@code /dashboard}):
 * the request's {@code Authorization: Bearer <token>} ({@link AdminToken}), else a 401 with a
 * {@code WWW-Authenticate: Bearer} challenge (RFC 6750; {@code error="invalid_token"} when a
 * token was given and is not the one). Open when the relay has no token. Thread-safe.
 */
final class AdminGate {

  private final AdminToken token;

  AdminGate(AdminToken token) {
    this.token = token;
  }

  boolean admits(String authorization) {
    return token.admits(authorization);
  }

  /** The {@code WWW-Authenticate} value for a request with this header refused. */
  static String challenge(String authorization) {
    return authorization == null ? "Bearer realm=\"addressable\""
        : "Bearer realm=\"addressable\", error=\"invalid_token\"";
  }

  /** {@code null} if the request may read, else the protocol's JSON error for its refusal. */
  Answer refusal(String authorization) {
    if (token.admits(authorization)) {
      return null;
    }
    ApiException refused = authorization == null
        ? new ApiException(401, "admin_token_required",
            "this relay's /metrics and /dashboard need Authorization: Bearer <its --admin-token>")
        : new ApiException(401, "wrong_admin_token", "the Authorization header does not carry this relay's --admin-token");
    return Answer.error(refused, null).with("WWW-Authenticate", challenge(authorization));
  }
}
