package io.servicemanager.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One of the JSON Schemas shipped in the jar ({@code schemas/NAME.schema.json}, also for editors),
 * checked with vertx-json-schema. {@link #validate} gives a {@link SchemaVerdict}: which paths the
 * schema rejects and why, told in the project's words ({@link SchemaVerdict#errors}).
 */
public final class ConfigSchema {
  public static final ConfigSchema CONFIG = load("config");
  public static final ConfigSchema SERVICES = load("services");
  public static final ConfigSchema USERS = load("users");

  /** Validators report every failing keyword; one per value is told, the first of these (any other last). */
  private static final List<String> VALUE_KEYWORDS = List.of("type", "const", "enum", "minItems", "minProperties",
      "minimum", "maximum", "pattern");
  /** Keywords that only say a part below them failed; that part's own keyword is told. */
  private static final Set<String> WRAPPERS = Set.of("properties", "items", "prefixItems", "$ref", "allOf");

  private final JsonObject schema;
  private final Validator validator;

  private ConfigSchema(JsonObject schema) {
    this.schema = schema;
    // A copy: vertx-json-schema annotates the schema it is given, this one is read for the messages.
    this.validator = Validator.create(JsonSchema.of(schema.copy()), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://service-manager.invalid/").setOutputFormat(OutputFormat.Basic));
  }

  static ConfigSchema load(String name) {
    String resource = "/schemas/" + name + ".schema.json";
    try (InputStream in = ConfigSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      return new ConfigSchema(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema document itself, for tests and tools. */
  public JsonObject document() {
    return schema.copy();
  }

  public SchemaVerdict validate(JsonObject doc) {
    OutputUnit result = validator.validate(doc);
    Map<String, SchemaVerdict.Finding> values = new HashMap<>();
    Map<String, JsonObject> unknown = new HashMap<>();
    Map<String, JsonObject> missing = new HashMap<>();
    for (OutputUnit unit : result.getErrors() == null ? List.<OutputUnit>of() : result.getErrors()) {
      List<String> instance = segments(unit.getInstanceLocation());
      List<String> keywordPath = segments(unit.getAbsoluteKeywordLocation());
      String keyword = keywordPath.get(keywordPath.size() - 1);
      JsonObject at = at(keywordPath.subList(0, keywordPath.size() - 1));
      String path = path(doc, instance);
      if (keyword.equals("additionalProperties")) {
        // vertx-json-schema also applies additionalProperties to declared properties whose value failed.
        JsonObject declared = at.getJsonObject("properties", new JsonObject());
        if (Boolean.FALSE.equals(at.getValue("additionalProperties"))
            && !declared.containsKey(instance.get(instance.size() - 1))) {
          unknown.put(path, at);
        }
      } else if (keyword.equals("required")) {
        missing.put(path, at);
      } else if (!WRAPPERS.contains(keyword)) {
        SchemaVerdict.Finding found = values.get(path);
        if (found == null || rank(keyword) < rank(found.keyword())) {
          values.put(path, new SchemaVerdict.Finding(keyword, at));
        }
      }
    }
    return new SchemaVerdict(this, doc, values, unknown, missing);
  }

  private static int rank(String keyword) {
    int rank = VALUE_KEYWORDS.indexOf(keyword);
    return rank < 0 ? VALUE_KEYWORDS.size() : rank;
  }

  /** The subschema at a JSON pointer into this schema, following a local {@code $ref}. */
  JsonObject at(List<String> pointer) {
    Object node = schema;
    for (String segment : pointer) {
      node = node instanceof JsonObject o ? o.getValue(segment)
          : node instanceof JsonArray a ? a.getValue(Integer.parseInt(segment)) : null;
    }
    return resolve(node instanceof JsonObject o ? o : null);
  }

  JsonObject resolve(JsonObject subschema) {
    if (subschema != null && subschema.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
      return at(segments(ref));
    }
    return subschema;
  }

  /** A location as vertx-json-schema writes it: {@code #/a/b~1c}, percent-encoded. */
  private static List<String> segments(String location) {
    String pointer = location.substring(location.indexOf('#') + 1);
    List<String> segments = new ArrayList<>();
    if (!pointer.isEmpty()) {
      for (String raw : pointer.substring(1).split("/", -1)) {
        String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        segments.add(decoded.replace("~1", "/").replace("~0", "~"));
      }
    }
    return segments;
  }

  /** The error path of a location in {@code doc}: {@code services.pzserver}, {@code notifications[0].url}. */
  private static String path(JsonObject doc, List<String> instance) {
    StringBuilder path = new StringBuilder();
    Object node = doc;
    for (String segment : instance) {
      if (node instanceof JsonArray array) {
        path.append('[').append(segment).append(']');
        node = array.getValue(Integer.parseInt(segment));
      } else {
        path.append(path.length() == 0 ? "" : ".").append(ConfigValidator.pathSegment(segment));
        node = node instanceof JsonObject o ? o.getValue(segment) : null;
      }
    }
    return path.toString();
  }
}
