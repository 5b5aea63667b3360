package dev.lethe.outbox;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Where outbox rows of one kind are delivered. A delivery never fails as a whole: it says which rows failed. */
interface OutboxSink {

    Uni<Delivery> deliver(List<OutboxEntry> entries);
}
