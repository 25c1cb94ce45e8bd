package io.servicemanager.web;

import io.servicemanager.ErrorCode;

/** Why a request was not let in: 401 (no or bad credentials) or 429 (too many failed attempts). */
final class AuthFailure extends RuntimeException {
  final ErrorCode code;
  /** Seconds, for 429's Retry-After; 0 otherwise. */
  final long retryAfter;

  AuthFailure(ErrorCode code, String message, long retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
  }

  static AuthFailure unauthorized(String message) {
    return new AuthFailure(ErrorCode.UNAUTHORIZED, message, 0);
  }

  static AuthFailure throttled(long retryAfter) {
    return new AuthFailure(ErrorCode.TOO_MANY_REQUESTS,
        "too many failed logins; try again in " + retryAfter + " s", retryAfter);
  }
}
