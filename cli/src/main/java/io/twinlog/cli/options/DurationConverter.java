package io.twinlog.cli.options;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the job's options take them (Flink's {@code TimeUtils}): 500ms, 30s, 5min, 1h, 2d or
 * ISO-8601 (PT30S).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new TypeConversionException(
                    "not a duration: '"
                            + value
                            + "' (write e.g. 500ms, 30s, 5min, 1h, 2d or PT30S)");
        }
    }
}
