package io.servicemanager.discover;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Adds entries to a services.yaml text without touching a byte of what is there: comments, order,
 * quoting and layout stay. New entries go at the end of the {@code services:} block, indented as
 * its first entry is. Pure; the text must be a valid services file (a block mapping of services).
 */
public final class ServicesMerge {
  private ServicesMerge() {}

  /** The text cannot take new entries by appending; nothing is changed. */
  public static final class Unmergeable extends RuntimeException {
    Unmergeable(String message) {
      super(message);
    }
  }

  /** {@code text} with {@code entries} added to its services; {@code text} itself when there are none. */
  public static String merge(String text, List<ServiceEntry> entries) {
    if (entries.isEmpty()) {
      return text;
    }
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    if (!(root instanceof MappingNode top)) {
      throw new Unmergeable("the file is not a mapping with a services: key");
    }
    NodeTuple services = null;
    boolean last = false;
    List<NodeTuple> tuples = top.getValue();
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).getKeyNode() instanceof ScalarNode key && key.getValue().equals("services")) {
        services = tuples.get(i);
        last = i == tuples.size() - 1;
      }
    }
    if (services == null || !(services.getValueNode() instanceof MappingNode block) || block.getValue().isEmpty()) {
      throw new Unmergeable("the file has no services: block to add to");
    }
    if (block.getFlowStyle() == DumperOptions.FlowStyle.FLOW || top.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
      throw new Unmergeable("services: is written in flow style ({…}); new entries can only be appended to a block");
    }
    NodeTuple first = block.getValue().get(0);
    int nameColumn = first.getKeyNode().getStartMark().getColumn();
    int fieldColumn = first.getValueNode() instanceof MappingNode fields && !fields.getValue().isEmpty()
        && fields.getFlowStyle() != DumperOptions.FlowStyle.FLOW
        ? fields.getValue().get(0).getKeyNode().getStartMark().getColumn() : nameColumn + 2;
    StringBuilder added = new StringBuilder();
    for (ServiceEntry entry : entries) {
      added.append(entry.yaml(" ".repeat(nameColumn), " ".repeat(Math.max(fieldColumn, nameColumn + 1))));
    }
    // Last in the file: at its end, so trailing comments stay above the new entries, as written.
    int at = last ? text.length() : lineEnd(text, lastScalarEnd(block));
    String before = text.substring(0, at);
    String separator = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
    return before + separator + added + text.substring(at);
  }

  /** Where the last piece of text of {@code node} ends: the end of its last scalar. */
  private static int lastScalarEnd(Node node) {
    if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
      return lastScalarEnd(mapping.getValue().get(mapping.getValue().size() - 1).getValueNode());
    }
    if (node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
      return lastScalarEnd(sequence.getValue().get(sequence.getValue().size() - 1));
    }
    return node.getEndMark().getIndex();
  }

  /** The index just past the line that holds {@code index}. */
  private static int lineEnd(String text, int index) {
    int newline = text.indexOf('\n', Math.max(0, index - 1));
    return newline < 0 ? text.length() : newline + 1;
  }
}
