package io.servicemanager;

import java.util.Locale;

/**
 * Every failure the API can answer, each with its one HTTP status. The code's wire form is the
 * lower-case name ({@code unknown_service}); REST, /ws and the event bus all use it.
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  INVALID_ACTION(400),
  /** A statistics window other than 24h, 7d or 30d. */
  INVALID_WINDOW(400),
  /** A {@code from} or {@code to} that is not an ISO-8601 time, or a range that ends before it starts. */
  INVALID_TIME(400),
  /** A {@code limit} that is not a whole number in range. */
  INVALID_LIMIT(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  /** The service is the caller's, but its state is hidden: it has no timeline and no statistics. */
  STATE_HIDDEN(403),
  UNKNOWN_SERVICE(404),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  PAYLOAD_TOO_LARGE(413),
  URI_TOO_LONG(414),
  TOO_MANY_REQUESTS(429),
  HEADERS_TOO_LARGE(431),
  INTERNAL_ERROR(500),
  JOB_FAILED(502),
  BUS_UNAVAILABLE(503),
  UNAVAILABLE(503),
  /** The service's journal may not be read: its state is hidden, or its {@code logs_allowed} is false. */
  LOGS_NOT_ALLOWED(403),
  /** No journal to read: journalctl missing, failing, without permission or too slow. */
  LOGS_UNAVAILABLE(503),
  /** A fleet node name that no node in the fleet has, or a server that is not in a fleet. */
  UNKNOWN_NODE(404),
  /** The fleet node left or stopped answering: nothing it says is shown as current. */
  NODE_UNREACHABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * A client-supplied value for an error message or a log line: quoted, cut (a 10 KB name is not
   * echoed back whole) and on one line.
   */
  public static String quote(String value) {
    return onOneLine(value.length() > 64 ? value.substring(0, 64) + "…" : value);
  }

  /** {@code value} in double quotes, with quotes, backslashes and control characters escaped: a decoded %0A must not forge a log line. */
  public static String onOneLine(String value) {
    StringBuilder text = new StringBuilder("\"");
    value.codePoints().forEach(c -> {
      if (c == '"' || c == '\\') {
        text.append('\\').appendCodePoint(c);
      } else if (Character.isISOControl(c)) {
        text.append(String.format("\\u%04x", c));
      } else {
        text.appendCodePoint(c);
      }
    });
    return text.append('"').toString();
  }

  /** The code an HTTP status stands for; a client error without a code of its own is {@code bad_request}. */
  public static ErrorCode forStatus(int status) {
    for (ErrorCode c : values()) {
      if (c.httpStatus == status && c != INVALID_ACTION && c != UNKNOWN_SERVICE && c != BUS_UNAVAILABLE
          && c != JOB_FAILED) {
        return c;
      }
    }
    return status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
  }

  public static ErrorCode fromCode(String code) {
    for (ErrorCode c : values()) {
      if (c.code().equals(code)) {
        return c;
      }
    }
    return INTERNAL_ERROR;
  }
}
