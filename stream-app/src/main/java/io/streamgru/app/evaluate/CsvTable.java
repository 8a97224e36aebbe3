package io.streamgru.app.evaluate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row, read whole into memory as text cells (RFC 4180: comma separated,
 * optional double quotes, "" inside quotes). Line numbers are kept for error messages.
 */
public final class CsvTable {

    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lineNumbers;

    private CsvTable(Path file, List<String> header, List<String[]> rows, int[] lineNumbers) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.lineNumbers = lineNumbers;
    }

    public static CsvTable read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine != null && headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            if (headerLine == null || headerLine.isBlank()) {
                throw new InputException(file + " is empty: expected a header row naming the columns");
            }
            List<String> header = List.of(split(headerLine, file, 1));
            List<String[]> rows = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line, file, lineNo);
                if (cells.length != header.size()) {
                    throw new InputException(file + " line " + lineNo + ": " + cells.length + " cells, but the header has "
                            + header.size() + " columns");
                }
                rows.add(cells);
                lines.add(lineNo);
            }
            if (rows.isEmpty()) {
                throw new InputException(file + " has a header but no data rows");
            }
            return new CsvTable(file, header, rows, lines.stream().mapToInt(Integer::intValue).toArray());
        } catch (NoSuchFileException e) {
            throw new InputException("no such file: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String[] split(String line, Path file, int lineNo) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
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
        return cells.toArray(new String[0]);
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public int rowCount() {
        return rows.size();
    }

    /** Index of a column; an unknown name is an error listing the columns there are. */
    public int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new InputException("unknown column '" + name + "' in " + file + "; columns are: "
                    + String.join(", ", header));
        }
        return i;
    }

    /** Text of a cell. */
    public String cell(int row, int column) {
        return rows.get(row)[column];
    }

    /** A numeric cell; empty = NaN (missing); anything else non-numeric is an error naming line and column. */
    public double number(int row, int column) {
        String text = rows.get(row)[column];
        if (text.isEmpty() || text.equalsIgnoreCase("nan") || text.equalsIgnoreCase("na") || text.equalsIgnoreCase("null")) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(file + " line " + lineNumbers[row] + ", column '" + header.get(column)
                    + "': '" + text + "' is not a number");
        }
    }

    /** Dense 0-based ids for the distinct values of a column, in order of first appearance. */
    public int[] ids(int column, List<String> namesOut) {
        Map<String, Integer> ids = new HashMap<>();
        int[] out = new int[rows.size()];
        for (int r = 0; r < out.length; r++) {
            String key = rows.get(r)[column];
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                namesOut.add(key);
            }
            out[r] = id;
        }
        return out;
    }
}
