package io.servicemanager.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from, as authenticated by the web layer: the name recorded in operations and
 * history ({@code alice}, {@code token:discord-bot}, {@code anonymous}), the role, and the services
 * it may know of ({@code null}: every configured service).
 *
 * <p>It travels in {@code servicemanager.action} requests as {@link #toJson()}, so the action verticle
 * stays the one authority on what may be done.
 */
public record Identity(String name, Role role, Set<String> services) {
  public static final String TOKEN_PREFIX = "token:";
  public static final String ANONYMOUS = "anonymous";

  public Identity {
    services = services == null ? null : Set.copyOf(services);
  }

  /** {@code auth.anonymous: viewer}: a client without credentials sees everything, changes nothing. */
  public static Identity anonymousViewer() {
    return new Identity(ANONYMOUS, Role.VIEWER, null);
  }

  /** False for a service outside the identity's list: for this identity it does not exist. */
  public boolean sees(String service) {
    return services == null || services.contains(service);
  }

  public boolean mayAct() {
    return role == Role.OPERATOR;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("role", role.value());
    return services == null ? json.putNull("services") : json.put("services", new JsonArray(List.copyOf(services)));
  }

  /** The inverse of {@link #toJson()}; empty when the JSON is not a well-formed identity. */
  public static Optional<Identity> fromJson(Object raw) {
    if (!(raw instanceof JsonObject json) || !(json.getValue("name") instanceof String name) || name.isBlank()
        || !(json.getValue("role") instanceof String roleName)) {
      return Optional.empty();
    }
    Optional<Role> role = Role.parse(roleName);
    Object services = json.getValue("services");
    if (role.isEmpty() || (services != null && !(services instanceof JsonArray))) {
      return Optional.empty();
    }
    Set<String> names = null;
    if (services instanceof JsonArray list) {
      if (!list.stream().allMatch(String.class::isInstance)) {
        return Optional.empty();
      }
      names = Set.copyOf(list.stream().map(String.class::cast).toList());
    }
    return Optional.of(new Identity(name, role.get(), names));
  }
}
