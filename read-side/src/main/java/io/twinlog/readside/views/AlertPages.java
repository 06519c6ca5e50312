package io.twinlog.readside.views;

import io.twinlog.readside.query.Page;
import io.twinlog.schema.alert.Alert;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages of a list of alert transitions. The cursor names the last transition of the previous page
 * (its alert id, status and time), not a count, so a transition added at the head of a live list
 * does not shift the next page.
 */
public final class AlertPages {

    private AlertPages() {}

    public static Page<Alert> page(List<Alert> alerts, String cursor, int limit) {
        int start = 0;
        if (cursor != null) {
            start = -1;
            for (int i = 0; i < alerts.size(); i++) {
                if (key(alerts.get(i)).equals(cursor)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new IllegalArgumentException(
                        "cursor "
                                + cursor
                                + " is not in the list (any more): start again without it");
            }
        }
        int end = Math.min(alerts.size(), start + limit);
        List<Alert> items = new ArrayList<>(alerts.subList(start, end));
        return new Page<>(items, end < alerts.size() ? key(items.get(items.size() - 1)) : null);
    }

    private static String key(Alert alert) {
        return alert.getAlertId()
                + "~"
                + alert.getStatus()
                + "~"
                + alert.getEventTime().toEpochMilli();
    }
}
