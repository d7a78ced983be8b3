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

    Consumer<InboundEvent> handlerFor(String eventType) {
        return handlers.get(eventType);
    }

    boolean ignores(String eventType) {
        return ignored.contains(eventType);
    }
}
