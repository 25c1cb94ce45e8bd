package io.servicemanager.web;

import io.servicemanager.auth.Identity;
import java.util.HashSet;
import java.util.Set;

/**
 * An event-bus bridge client (SockJS or TCP) as a {@link Feed} subscriber: it is sent the bridged
 * {@link PushKind}s whose addresses it registered, as its identity may see them; the transport only
 * frames, writes and closes.
 */
abstract class BridgeSubscriber implements Feed.Subscriber {
  private final String transport;
  private final long seq;
  private final Set<String> registered = new HashSet<>();
  private Identity who;
  private Object rights;
  private boolean closed;

  /** @param transport the name that keeps its frames apart from other transports' in the fan-out */
  BridgeSubscriber(String transport, long seq) {
    this.transport = transport;
    this.seq = seq;
  }

  /** Who the connection is; until then it may register nothing, so it is sent nothing. */
  final void identify(Identity identity) {
    this.who = identity;
    this.rights = Feed.rights(transport, identity);
  }

  /** False when the address may not be registered ({@link BridgeRules}); else its messages come from now on. */
  final boolean register(String address) {
    if (who == null || !BridgeRules.mayRegister(address)) {
      return false;
    }
    registered.add(address);
    return true;
  }

  /** False when the address was not registered. */
  final boolean unregister(String address) {
    return registered.remove(address);
  }

  final void markClosed() {
    closed = true;
  }

  @Override
  public final Identity who() {
    return who;
  }

  @Override
  public final Object rights() {
    return rights;
  }

  @Override
  public final long seq() {
    return seq;
  }

  @Override
  public final boolean closed() {
    return closed;
  }

  @Override
  public final boolean takes(PushKind kind) {
    return kind.bridged() && registered.contains(kind.address());
  }
}
