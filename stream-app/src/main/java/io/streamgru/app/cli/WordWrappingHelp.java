package io.streamgru.app.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's help, with option and parameter descriptions wrapped at spaces only. picocli breaks
 * lines where {@link java.text.BreakIterator} allows, which includes inside values a user copies
 * ({@code cosine:TOTAL|[:MIN]}, {@code 2026-01-31T00:00:|00Z}, {@code page-|hinkley}).
 */
final class WordWrappingHelp extends Help {

    WordWrappingHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                      ColorScheme colorScheme) {
        Layout layout = super.createDefaultLayout(options, positionals, colorScheme);
        return new Layout(colorScheme, new WordWrappingTable(colorScheme, layout.textTable()), layout.optionRenderer(),
                layout.parameterRenderer());
    }

    /** A text table whose last (description) column wraps at spaces; a word wider than the column is cut. */
    static final class WordWrappingTable extends TextTable {

        private final ColorScheme colorScheme;

        WordWrappingTable(ColorScheme colorScheme, TextTable like) {
            super(colorScheme, like.columns());
            this.colorScheme = colorScheme;
            this.indentWrappedLines = like.indentWrappedLines;
        }

        @Override
        public Cell putValue(int row, int col, Ansi.Text value) {
            Column column = columns()[col];
            if (value == null || col != columns().length - 1 || column.overflow != Column.Overflow.WRAP) {
                return super.putValue(row, col, value);
            }
            int first = column.width - column.indent;
            List<Ansi.Text> lines = wrap(value, first, first - indentWrappedLines);
            Cell cell = super.putValue(row, col, lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                addEmptyRow();
                cell = super.putValue(rowCount() - 1, col,
                        colorScheme.text(" ".repeat(indentWrappedLines)).concat(lines.get(i)));
            }
            return cell;
        }

        /** {@code text} in lines of at most {@code first}, then {@code rest} characters, broken at spaces. */
        static List<Ansi.Text> wrap(Ansi.Text text, int first, int rest) {
            String plain = text.plainString();
            List<Ansi.Text> lines = new ArrayList<>();
            int start = 0;
            while (start < plain.length()) {
                int width = Math.max(1, lines.isEmpty() ? first : rest);
                int end;
                if (plain.length() - start <= width) {
                    end = plain.length();
                } else {
                    int space = plain.lastIndexOf(' ', start + width);
                    end = space > start ? space : start + width; // one word wider than the column: cut it
                }
                lines.add(text.substring(start, end));
                start = end;
                while (start < plain.length() && plain.charAt(start) == ' ') {
                    start++;
                }
            }
            if (lines.isEmpty()) {
                lines.add(text);
            }
            return lines;
        }
    }
}
