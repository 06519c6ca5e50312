package io.twinlog.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * Rows of records with the columns people read them by, laid out by picocli's {@link TextTable}.
 * The rows stay records, so {@code --output json} prints them as they are.
 */
public final class Table<T> {

    private static final int GAP = 2;

    private record Cell<T>(String header, boolean rightAligned, Function<T, ?> value) {}

    private final List<T> rows;
    private final List<Cell<T>> columns = new ArrayList<>();

    private Table(List<T> rows) {
        this.rows = List.copyOf(rows);
    }

    public static <T> Table<T> of(List<T> rows) {
        return new Table<>(rows);
    }

    public Table<T> column(String header, Function<T, ?> value) {
        columns.add(new Cell<>(header, false, value));
        return this;
    }

    /** A column of numbers: right-aligned, with thousands separators. */
    public Table<T> number(String header, Function<T, ? extends Number> value) {
        columns.add(
                new Cell<>(
                        header,
                        true,
                        row -> {
                            Number n = value.apply(row);
                            return n == null ? "-" : String.format("%,d", n.longValue());
                        }));
        return this;
    }

    public List<T> rows() {
        return rows;
    }

    /** The header and one line per row; nothing but "(none)" when there are no rows. */
    public void render(PrintWriter out) {
        if (rows.isEmpty()) {
            out.println("(none)");
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.stream().map(Cell::header).toArray(String[]::new));
        for (T row : rows) {
            lines.add(columns.stream().map(c -> text(c.value().apply(row))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        Column[] layout = new Column[columns.size()];
        for (int i = 0; i < layout.length; i++) {
            boolean last = i == layout.length - 1;
            layout[i] = new Column(widths[i] + (last ? 0 : GAP), 0, Column.Overflow.SPAN);
        }
        TextTable table = TextTable.forColumns(Help.defaultColorScheme(Ansi.OFF), layout);
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                if (columns.get(i).rightAligned()) {
                    line[i] = " ".repeat(widths[i] - line[i].length()) + line[i];
                }
            }
            table.addRowValues(line);
        }
        out.print(table);
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
