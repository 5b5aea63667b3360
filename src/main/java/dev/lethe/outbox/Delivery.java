package dev.lethe.outbox;

import java.util.List;
import java.util.Optional;

/**
 * What became of a batch of outbox rows: those delivered go, those failed are retried later.
 *
 * @param error why the failed ones failed, for the row's last_error and the log
 */
public record Delivery(List<Long> delivered, List<Long> failed, Optional<String> error) {

    public Delivery {
        delivered = List.copyOf(delivered);
        failed = List.copyOf(failed);
        if (!failed.isEmpty() && error.isEmpty()) {
            throw new IllegalArgumentException("a failed delivery says why");
        }
    }

    public static Delivery allDelivered(List<OutboxEntry> entries) {
        return new Delivery(ids(entries), List.of(), Optional.empty());
    }

    public static Delivery allFailed(List<OutboxEntry> entries, String error) {
        return new Delivery(List.of(), ids(entries), Optional.of(error));
    }

    private static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }
}
