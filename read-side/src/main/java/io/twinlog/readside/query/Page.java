package io.twinlog.readside.query;

import java.util.List;

/** Some items and the cursor of the next page (null when there is none). */
public record Page<T>(List<T> items, String next) {}
