package io.twinlog.cli.output;

/** How a listing is printed: aligned columns for people, JSON for programs. */
public enum OutputFormat {
    TABLE,
    JSON
}
