package io.servicemanager.config;

import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.NotificationTarget.Format;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of config.yaml's {@code notifications:} list, as strict as the rest: unknown fields,
 * a URL that is not http(s), an empty or unknown event and, once the services file is read, a
 * service that is not there or whose status is hidden are errors naming their path.
 */
final class NotificationRules {
  private static final Set<String> FIELDS = Set.of("url", "events", "services", "format");

  private NotificationRules() {}

  static List<NotificationTarget> targets(Object raw, List<String> errors) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray list)) {
      errors.add("notifications: must be a list of {url, events, services, format} (got " + ConfigValidator.show(raw) + ")");
      return List.of();
    }
    List<NotificationTarget> targets = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      NotificationTarget target = target("notifications[" + i + "]", list.getValue(i), errors);
      if (target != null) {
        targets.add(target);
      }
    }
    return targets;
  }

  private static NotificationTarget target(String path, Object raw, List<String> errors) {
    if (!(raw instanceof JsonObject fields)) {
      errors.add(path + ": must be a mapping with url and events (got " + ConfigValidator.show(raw) + ")");
      return null;
    }
    int before = errors.size();
    for (String key : fields.fieldNames()) {
      if (!FIELDS.contains(key)) {
        errors.add(path + "." + ConfigValidator.pathSegment(key) + ": unknown field (known: events, format, services, url)");
      }
    }
    String url = url(path, fields, errors);
    Set<Event> events = events(path, fields, errors);
    List<String> services = services(path, fields, errors);
    Format format = format(path, fields, errors);
    return errors.size() > before ? null : new NotificationTarget(url, events, services, format);
  }

  private static String url(String path, JsonObject fields, List<String> errors) {
    if (!fields.containsKey("url")) {
      errors.add(path + ": missing field url");
      return null;
    }
    Object raw = fields.getValue("url");
    String problem = "must be an http:// or https:// URL with a host (got " + ConfigValidator.show(raw) + ")";
    if (!(raw instanceof String text)) {
      errors.add(path + ".url: " + problem);
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return text;
      }
    } catch (URISyntaxException e) {
      // reported below, like any other unusable URL
    }
    errors.add(path + ".url: " + problem);
    return null;
  }

  private static Set<Event> events(String path, JsonObject fields, List<String> errors) {
    Object raw = fields.getValue("events");
    if (!fields.containsKey("events")) {
      errors.add(path + ": missing field events");
      return Set.of();
    }
    if (!(raw instanceof JsonArray list) || list.isEmpty()) {
      errors.add(path + ".events: must be a non-empty list of status, operation (got " + ConfigValidator.show(raw) + ")");
      return Set.of();
    }
    Set<Event> events = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object value = list.getValue(i);
      Event event = value instanceof String s ? parse(Event.values(), s) : null;
      if (event == null) {
        errors.add(path + ".events[" + i + "]: must be one of status, operation (got " + ConfigValidator.show(value) + ")");
      } else {
        events.add(event);
      }
    }
    return events;
  }

  private static List<String> services(String path, JsonObject fields, List<String> errors) {
    if (!fields.containsKey("services")) {
      return List.of();
    }
    Object raw = fields.getValue("services");
    if (!(raw instanceof JsonArray list) || list.isEmpty()) {
      errors.add(path + ".services: must be a non-empty list of service names; leave it out for every visible service (got "
          + ConfigValidator.show(raw) + ")");
      return List.of();
    }
    List<String> services = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object value = list.getValue(i);
      if (value instanceof String s && !s.isBlank()) {
        services.add(s);
      } else {
        errors.add(path + ".services[" + i + "]: must be a service name from the services file (got "
            + ConfigValidator.show(value) + ")");
      }
    }
    return services;
  }

  private static Format format(String path, JsonObject fields, List<String> errors) {
    Object raw = fields.getValue("format");
    if (raw == null && !fields.containsKey("format")) {
      return Format.JSON;
    }
    Format format = raw instanceof String s ? parse(Format.values(), s) : null;
    if (format == null) {
      errors.add(path + ".format: must be one of json, discord, slack (got " + ConfigValidator.show(raw) + ")");
    }
    return format;
  }

  private static <E extends Enum<E>> E parse(E[] values, String text) {
    return Arrays.stream(values).filter(v -> v.name().toLowerCase(Locale.ROOT).equals(text)).findFirst().orElse(null);
  }

  /**
   * Services named by a target must exist and be visible: a hidden service's events are never sent,
   * so naming one is a mistake to report, not to ignore.
   */
  static List<String> checkServices(List<NotificationTarget> targets, ServiceCatalogue catalogue) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      List<String> names = targets.get(i).services();
      for (int j = 0; j < names.size(); j++) {
        String name = names.get(j);
        String path = "notifications[" + i + "].services[" + j + "]";
        var service = catalogue.find(name);
        if (service.isEmpty()) {
          errors.add(path + ": no service " + ConfigValidator.show(name) + " in the services file");
        } else if (!service.get().statusCheckAllowed()) {
          errors.add(path + ": " + ConfigValidator.show(name)
              + " has status_check_allowed: false, so none of its events is ever sent");
        }
      }
    }
    return errors;
  }
}
