package io.streamgru.app.evaluate;

import io.streamgru.app.input.InputException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file with a header row, read one row at a time (RFC 4180: comma separated, optional double
 * quotes, "" inside quotes; a quoted cell does not span lines). Blank lines are skipped. The line
 * number of the row just read is kept for error messages. Memory: one row.
 */
final class CsvReader implements Closeable {

    private final Path file;
    private final BufferedReader reader;
    private List<String> header;
    private final List<String> cells = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();
    private int lineNo = 1;

    private CsvReader(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** Opens the file and reads its header; an empty file or a missing one is an {@link InputException}. */
    static CsvReader open(Path file) {
        BufferedReader reader = null;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            String headerLine = reader.readLine();
            if (headerLine != null && headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            if (headerLine == null || headerLine.isBlank()) {
                throw new InputException(file + " is empty: expected a header row naming the columns");
            }
            CsvReader csv = new CsvReader(file, reader);
            csv.split(headerLine);
            csv.header = List.copyOf(csv.cells);
            return csv;
        } catch (NoSuchFileException e) {
            throw new InputException("no such file: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    /** Index of a column; an unknown name is an error listing the columns there are. */
    int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new InputException("unknown column '" + name + "' in " + file + "; columns are: "
                    + String.join(", ", header));
        }
        return i;
    }

    /** The line number of the row {@link #next()} returned last. */
    int line() {
        return lineNo;
    }

    /**
     * The cells of the next data row (trimmed), or null at the end of the file. A row with another
     * number of cells than the header is an error naming its line.
     */
    String[] next() {
        String line = nextLine();
        if (line == null) {
            return null;
        }
        split(line);
        if (cells.size() != header.size()) {
            throw new InputException(file + " line " + lineNo + ": " + cells.size() + " cells, but the header has "
                    + header.size() + " columns");
        }
        return cells.toArray(new String[0]);
    }

    /** Skips the next data row without splitting it; false at the end of the file. */
    boolean skip() {
        return nextLine() != null;
    }

    private String nextLine() {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void split(String line) {
        cells.clear();
        cell.setLength(0);
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new InputException(file + " line " + lineNo + ": unterminated quoted cell");
        }
        cells.add(cell.toString().trim());
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
