package dev.parley.lab;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A titled table of results: aligned columns in text, a list of objects in JSON. */
final class Table {
    private record Column(String key, String header) {
    }

    private final String key;
    private final String title;
    private final List<Column> columns = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();

    Table(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** Adds a column: {@code key} names it in JSON, {@code header} in text. */
    Table col(String columnKey, String header) {
        columns.add(new Column(columnKey, header));
        return this;
    }

    /** Adds a row; {@code null} cells print as "-" and are left out of JSON. */
    Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns.size() + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    String key() {
        return key;
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                if (r[i] != null) {
                    m.put(columns.get(i).key(), jsonValue(r[i]));
                }
            }
            list.add(m);
        }
        return list;
    }

    static Object jsonValue(Object v) {
        if (v instanceof Double d) {
            return Double.isFinite(d) ? Math.round(d * 1000.0) / 1000.0 : null;
        }
        return v;
    }

    void print(PrintWriter out) {
        int n = columns.size();
        String[][] cells = new String[rows.size() + 1][n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            cells[0][i] = columns.get(i).header();
            numeric[i] = true;
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int i = 0; i < n; i++) {
                Object v = rows.get(r)[i];
                cells[r + 1][i] = text(v);
                if (v != null && !(v instanceof Number)) {
                    numeric[i] = false;
                }
            }
        }
        int[] width = new int[n];
        for (String[] line : cells) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        out.println(title);
        for (String[] line : cells) {
            StringBuilder sb = new StringBuilder(" ");
            for (int i = 0; i < n; i++) {
                String c = line[i];
                String pad = " ".repeat(width[i] - c.length());
                sb.append(' ').append(numeric[i] ? pad + c : c + pad).append(' ');
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** How a cell prints: grouped integers, decimals by magnitude, yes/no. */
    static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Integer || v instanceof Long) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
            return String.format(Locale.ROOT, f, d);
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return v.toString();
    }
}
