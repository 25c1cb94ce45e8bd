package io.servicemanager.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * Keys written twice in one mapping. vertx-config-yaml's reader keeps the last one silently, so a
 * second {@code permissions_required} line, or a service pasted in twice, would quietly override
 * the first; the validator never sees the lost value, hence this check on the text itself.
 */
final class DuplicateKeys {
  private DuplicateKeys() {}

  /** One error per repeated key, e.g. {@code services.pzserver: duplicate key (lines 2 and 9)}. */
  static List<String> find(String yaml) {
    Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
    List<String> errors = new ArrayList<>();
    walk(root, "", errors, Collections.newSetFromMap(new IdentityHashMap<>()));
    return errors;
  }

  private static void walk(Node node, String path, List<String> errors, Set<Node> seen) {
    // An alias points at a node already walked; YAML even allows a node to contain itself.
    if (node == null || !seen.add(node)) {
      return;
    }
    if (node instanceof SequenceNode list) {
      for (int i = 0; i < list.getValue().size(); i++) {
        walk(list.getValue().get(i), path + "[" + i + "]", errors, seen);
      }
    } else if (node instanceof MappingNode map) {
      Map<String, Integer> firstLine = new HashMap<>();
      for (NodeTuple entry : map.getValue()) {
        if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = (path.isEmpty() ? "" : path + ".") + ConfigValidator.pathSegment(key);
        int line = keyNode.getStartMark().getLine() + 1;
        Integer first = firstLine.putIfAbsent(key, line);
        // "<<" merges another mapping in; repeating it is how YAML merges several.
        if (first != null && !key.equals("<<")) {
          errors.add(keyPath + ": duplicate key (lines " + first + " and " + line + ")");
        }
        walk(entry.getValueNode(), keyPath, errors, seen);
      }
    }
  }
}
