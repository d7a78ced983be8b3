package org.hdil2.kit.inbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one consumer does with each event type of its topic. Types it handles run inside the inbox transaction;
 * types it knows and ignores are acknowledged; anything else is poison (dead-lettered), never silently dropped.
 */
public final class EventHandlers {

    private final Map<String, Consumer<InboundEvent>> handlers = new LinkedHashMap<>();
    private final Map<String, Consumer<InboundEvent>> everyDelivery = new LinkedHashMap<>();
    private final Set<String> ignored;

    private EventHandlers(Set<String> ignored) {
        this.ignored = Set.copyOf(ignored);
    }

    public static EventHandlers ignoring(String... ignoredTypes) {
        return new EventHandlers(Set.of(ignoredTypes));
    }

    public EventHandlers on(String eventType, Consumer<InboundEvent> handler) {
        handlers.put(eventType, handler);
        return this;
    }

    /**
     * A type whose handler is idempotent by itself (it only moves state forward, so a repeat changes nothing): it runs
     * in a transaction of its own without an inbox row, so frequent bookkeeping events (monitoring's evaluation
     * checkpoints, every few seconds per partition) do not fill the inbox.
     */
    public EventHandlers onEveryDelivery(String eventType, Consumer<InboundEvent> handler) {
        everyDelivery.put(eventType, handler);
        return this;
    }

    /** Whether this consumer handles or knowingly ignores {@code eventType} (anything else is dead-lettered). */
    public boolean names(String eventType) {
        return handlers.containsKey(eventType) || everyDelivery.containsKey(eventType) || ignored.contains(eventType);
    }

    Consumer<InboundEvent> handlerFor(String eventType) {
        return handlers.get(eventType);
    }

    Consumer<InboundEvent> everyDeliveryHandlerFor(String eventType) {
        return everyDelivery.get(eventType);
    }

    boolean ignores(String eventType) {
        return ignored.contains(eventType);
    }
}
