package io.twinlog.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --output table|json} for a command that lists records: the same rows as aligned columns or
 * as a JSON array of the records themselves.
 */
public final class OutputOption {

    /** Built on first use: most commands print tables, and a mapper costs the CLI's start. */
    private static final class Mapper {
        static final ObjectMapper JSON =
                new ObjectMapper()
                        .registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                        .enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "table|json",
            defaultValue = "table",
            converter = OutputFormatConverter.class,
            description = "table (default) or json: the records as a JSON array")
    OutputFormat format = OutputFormat.TABLE;

    @Option(names = "--json", description = "the same as --output json")
    boolean json;

    public OutputFormat format() {
        return json ? OutputFormat.JSON : format;
    }

    public boolean json() {
        return format() == OutputFormat.JSON;
    }

    /** Prints the table's rows in the format asked for. */
    public void print(Table<?> table) {
        if (json()) {
            printJson(table.rows());
        } else {
            table.render(command.commandLine().getOut());
        }
        command.commandLine().getOut().flush();
    }

    /** Prints one value (a record, a list of records) as JSON. */
    public void printJson(Object value) {
        try {
            command.commandLine().getOut().println(Mapper.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
