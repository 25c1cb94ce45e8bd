package io.servicemanager.history;

import io.servicemanager.history.HistoryFiles.Segment;
import io.servicemanager.history.ReverseLineReader.Line;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads records newest first across a snapshot of the files, and stops once it has enough. */
final class HistoryScan {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryScan.class);
  /** Remembered damaged lines, so each is reported once and not on every query; bounded. */
  private static final int MAX_REMEMBERED = 10_000;

  private HistoryScan() {}

  /**
   * @param services which services' records to keep, by name
   * @param reported damaged lines already warned about (file identity and offset); grows here
   */
  static List<JsonObject> newestFirst(List<Segment> segments, java.util.function.Predicate<String> services, int limit,
      Set<String> reported) throws IOException {
    List<JsonObject> found = new ArrayList<>(Math.min(limit, 1024));
    for (Segment segment : segments) {
      ReverseLineReader lines = new ReverseLineReader(segment.channel(), segment.length());
      for (Line line = lines.previous(); line != null; line = lines.previous()) {
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
          continue;
        }
        JsonObject record = parse(text);
        if (record == null) {
          warnOnce(segment, line, reported);
        } else if (record.getValue("service") instanceof String name && services.test(name)) {
          found.add(record);
          if (found.size() == limit) {
            return found;
          }
        }
      }
    }
    return found;
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static void warnOnce(Segment segment, Line line, Set<String> reported) throws IOException {
    String key = segment.identity() + "@" + line.offset();
    if (reported.contains(key)) {
      return;
    }
    if (reported.size() < MAX_REMEMBERED) {
      reported.add(key);
    }
    LOG.warn("{} line {}: skipped, not a JSON object (a record torn by a crash, or damaged): {}",
        segment.path(), ReverseLineReader.lineNumber(segment.channel(), line.offset()), excerpt(line.bytes()));
  }

  private static String excerpt(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\x%02x", c) : Character.toString(c)));
    return bytes.length > 80 ? out + "…" : out.toString();
  }
}
