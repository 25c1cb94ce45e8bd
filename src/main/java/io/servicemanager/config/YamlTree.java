package io.servicemanager.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML document, parsed once into snakeyaml's node tree, which gives everything else: where each
 * key is written, the keys written twice in one mapping (the last would win silently, so a second
 * {@code permissions_required} line or a service pasted in twice would quietly override the first)
 * and the JSON the schema checks.
 *
 * @param json the top-level mapping, null when the top level is a list or a plain value
 * @param positions where each key is written, by its error path ({@code services.pzserver})
 * @param duplicateKeys one error per repeated key, with where the repeat is
 */
record YamlTree(JsonObject json, Map<String, ConfigException.Position> positions,
    Map<String, ConfigException.Position> duplicateKeys) {

  /** Throws snakeyaml's MarkedYAMLException (line and column) for bad syntax or a second document. */
  static YamlTree parse(String yaml) {
    Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
    Map<String, ConfigException.Position> positions = new LinkedHashMap<>();
    Map<String, ConfigException.Position> duplicates = new LinkedHashMap<>();
    // Before constructing: construction flattens "<<" merges into the nodes.
    walk(root, "", positions, duplicates, Collections.newSetFromMap(new IdentityHashMap<>()));
    Object value = root == null ? null : new Builder().build(root);
    return new YamlTree(value instanceof Map<?, ?> map ? object(map) : null, positions, duplicates);
  }

  private static void walk(Node node, String path, Map<String, ConfigException.Position> positions,
      Map<String, ConfigException.Position> duplicates, Set<Node> seen) {
    // An alias points at a node already walked; YAML even allows a node to contain itself.
    if (node == null || !seen.add(node)) {
      return;
    }
    if (node instanceof SequenceNode list) {
      for (int i = 0; i < list.getValue().size(); i++) {
        walk(list.getValue().get(i), path + "[" + i + "]", positions, duplicates, seen);
      }
    } else if (node instanceof MappingNode map) {
      Map<String, Integer> firstLine = new HashMap<>();
      for (NodeTuple entry : map.getValue()) {
        if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = (path.isEmpty() ? "" : path + ".") + ConfigValidator.pathSegment(key);
        var at = new ConfigException.Position(keyNode.getStartMark().getLine() + 1,
            keyNode.getStartMark().getColumn() + 1);
        positions.putIfAbsent(keyPath, at);
        Integer first = firstLine.putIfAbsent(key, at.line());
        // "<<" merges another mapping in; repeating it is how YAML merges several.
        if (first != null && !key.equals("<<")) {
          duplicates.put(keyPath + ": duplicate key (lines " + first + " and " + at.line() + ")", at);
        }
        walk(entry.getValueNode(), keyPath, positions, duplicates, seen);
      }
    }
  }

  /** Keys as strings, timestamps as instants: values a JsonObject holds. */
  private static JsonObject object(Map<?, ?> map) {
    JsonObject json = new JsonObject();
    map.forEach((key, value) -> json.put(String.valueOf(key), json(value)));
    return json;
  }

  private static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(item -> array.add(json(item)));
      return array;
    }
    return value instanceof Date date ? date.toInstant() : value;
  }

  /** snakeyaml's safe types (no class tags), built from the tree already composed. */
  private static final class Builder extends SafeConstructor {
    Builder() {
      super(new LoaderOptions());
    }

    Object build(Node root) {
      return constructDocument(root);
    }
  }
}
