package io.servicemanager.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@link ConfigSchema} found wrong in one document, by error path, and the errors it makes
 * with the ones the code found ({@link Problems}): in document order, the code's for a path before the
 * schema's, then unknown fields, missing fields and each field in the schema's order.
 *
 * <p>A schema location may word its error: {@code x-error} (what the value must be) or
 * {@code x-errors} by keyword ({@code required} takes {@code {field}}); else it is said from the
 * schema: true or false, a whole number from min to max, a non-empty string, one of the enum, a mapping.
 */
public final class SchemaVerdict {
  record Finding(String keyword, JsonObject at) {}

  private final ConfigSchema schema;
  private final JsonObject doc;
  private final Map<String, Finding> values;
  private final Map<String, JsonObject> unknown;
  private final Map<String, JsonObject> missing;

  SchemaVerdict(ConfigSchema schema, JsonObject doc, Map<String, Finding> values, Map<String, JsonObject> unknown,
      Map<String, JsonObject> missing) {
    this.schema = schema;
    this.doc = doc;
    this.values = values;
    this.unknown = unknown;
    this.missing = missing;
  }

  /** Whether the value at {@code path} (absent included) is as the schema wants; code may then use it. */
  public boolean accepts(String path) {
    return !values.containsKey(path) && !unknown.containsKey(path);
  }

  public boolean isValid() {
    return values.isEmpty() && unknown.isEmpty() && missing.isEmpty();
  }

  /** Every error, the schema's and {@code problems}', in the order described above. */
  public List<String> errors(Problems problems) {
    List<String> out = new ArrayList<>();
    walk(doc, schema.resolve(schema.document()), "", problems, out);
    out.addAll(problems.rest());
    return out;
  }

  private void walk(Object value, JsonObject at, String path, Problems problems, List<String> out) {
    out.addAll(problems.take(path));
    Finding found = values.get(path);
    if (found != null) {
      out.add(prefix(path) + phrase(found) + " (got " + ConfigValidator.show(value) + ")");
      return;
    }
    if (at == null) {
      return;
    }
    if (value instanceof JsonObject object) {
      walkObject(object, at, path, problems, out);
    } else if (value instanceof JsonArray array && at.getValue("items") instanceof JsonObject items) {
      for (int i = 0; i < array.size(); i++) {
        walk(array.getValue(i), schema.resolve(items), path + "[" + i + "]", problems, out);
      }
    }
  }

  private void walkObject(JsonObject object, JsonObject at, String path, Problems problems, List<String> out) {
    JsonObject declared = at.getJsonObject("properties", new JsonObject());
    for (String key : object.fieldNames()) {
      String child = child(path, key);
      if (unknown.containsKey(child)) {
        out.add(child + ": unknown field (known: "
            + declared.fieldNames().stream().sorted().collect(Collectors.joining(", ")) + ")");
      }
    }
    if (missing.containsKey(path)) {
      for (Object field : at.getJsonArray("required", new JsonArray())) {
        if (!object.containsKey((String) field)) {
          String template = at.getJsonObject("x-errors", new JsonObject()).getString("required", "missing field {field}");
          out.add(prefix(path) + template.replace("{field}", (String) field));
        }
      }
    }
    for (String key : declared.fieldNames()) {
      if (object.containsKey(key)) {
        walk(object.getValue(key), schema.resolve(declared.getJsonObject(key)), child(path, key), problems, out);
      }
    }
    Object others = at.getValue("additionalProperties");
    for (String key : object.fieldNames()) {
      if (!declared.containsKey(key)) {
        JsonObject otherSchema = others instanceof JsonObject o ? schema.resolve(o) : null;
        walk(object.getValue(key), otherSchema, child(path, key), problems, out);
      }
    }
  }

  private static String phrase(Finding found) {
    JsonObject at = found.at();
    String worded = at.getJsonObject("x-errors", new JsonObject()).getString(found.keyword(), at.getString("x-error"));
    if (worded != null) {
      return worded;
    }
    if (at.getValue("enum") instanceof JsonArray values) {
      return "must be one of " + values.stream().filter(v -> v != null).map(String::valueOf)
          .collect(Collectors.joining(", "));
    }
    Object type = at.getValue("type");
    List<?> types = type instanceof JsonArray list ? list.getList() : List.of(String.valueOf(type));
    if (types.contains("boolean")) {
      return "must be true or false";
    }
    if (types.contains("integer")) {
      return "must be a whole number from " + at.getValue("minimum") + " to " + at.getValue("maximum");
    }
    if (types.contains("string")) {
      return "must be a non-empty string";
    }
    return types.contains("array") ? "must be a list" : "must be a mapping";
  }

  static String child(String path, String key) {
    return (path.isEmpty() ? "" : path + ".") + ConfigValidator.pathSegment(key);
  }

  static String prefix(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }
}
