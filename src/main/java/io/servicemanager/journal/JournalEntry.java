package io.servicemanager.journal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One line of {@code journalctl --output=json} as the API shows it: {@code {at, priority, message, pid, cursor}}. */
final class JournalEntry {
  /** Longer messages are cut here (journalctl itself sends null for a field over 4 KiB without --all). */
  static final int MAX_MESSAGE = 4096;

  private JournalEntry() {}

  /** journalctl's own JSON of the entry, or null for a line that is not a journal entry. */
  static JsonObject raw(String line) {
    JsonObject raw;
    try {
      raw = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    return raw.getValue("__CURSOR") instanceof String ? raw : null;
  }

  /** The entry as the API shows it, from {@link #raw}. */
  static JsonObject of(JsonObject raw) {
    return new JsonObject()
        .put("at", at(raw.getValue("__REALTIME_TIMESTAMP")))
        .put("priority", number(raw.getValue("PRIORITY")))
        .put("message", message(raw.getValue("MESSAGE")))
        .put("pid", number(raw.getValue("_PID")))
        .put("cursor", raw.getString("__CURSOR"));
  }

  private static String at(Object micros) {
    Long us = number(micros);
    if (us == null) {
      return null;
    }
    Instant at = Instant.EPOCH.plus(us, ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS);
    String text = at.toString();
    return at.getNano() == 0 ? text.replace("Z", ".000Z") : text;
  }

  /** A string, or (not valid UTF-8 in the journal) an array of bytes; null when journalctl left it out. */
  private static String message(Object value) {
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof JsonArray bytes) {
      byte[] raw = new byte[Math.min(bytes.size(), MAX_MESSAGE * 4)];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = bytes.getValue(i) instanceof Number n ? n.byteValue() : (byte) '?';
      }
      text = new String(raw, StandardCharsets.UTF_8);
    } else {
      return null;
    }
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
  }

  /** A number field (journalctl sends them as strings), or {@code otherwise}. */
  static long number(Object value, long otherwise) {
    Long n = number(value);
    return n == null ? otherwise : n;
  }

  private static Long number(Object value) {
    if (value instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
