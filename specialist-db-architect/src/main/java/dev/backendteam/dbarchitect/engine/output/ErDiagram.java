package dev.backendteam.dbarchitect.engine.output;

import dev.backendteam.dbarchitect.engine.design.SchemaDesign;
import dev.backendteam.dbarchitect.engine.design.TableDesign;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Column;
import dev.backendteam.dbarchitect.engine.design.TableDesign.ForeignKey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Mermaid ER diagram of the designed tables ({@value #FILE}). Types are written as Mermaid accepts them (one
 * word: {@code double_precision}, {@code text_array}); the exact SQL type follows in the comment where it differs.
 * A join table is drawn as the entity it is, with its two one-to-many relationships.
 */
public final class ErDiagram {
    public static final String FILE = "schema.mmd";

    private ErDiagram() {
    }

    public static String render(SchemaDesign design) {
        StringBuilder m = new StringBuilder("erDiagram\n");
        Set<String> external = new LinkedHashSet<>();
        for (TableDesign t : design.tables()) {
            m.append("    ").append(t.name()).append(" {\n");
            for (Column c : t.columns()) {
                m.append("        ").append(mermaidType(c.type())).append(' ').append(c.name());
                String keys = keys(t, c);
                if (!keys.isEmpty()) {
                    m.append(' ').append(keys);
                }
                String comment = comment(t, c);
                if (!comment.isEmpty()) {
                    m.append(" \"").append(comment.replace('"', '\'')).append('"');
                }
                m.append('\n');
            }
            m.append("    }\n");
            for (ForeignKey fk : t.foreignKeys()) {
                if (!fk.refSchema().equals("public")) {
                    external.add(entity(fk));
                }
            }
        }
        for (String e : external) {
            m.append("    ").append(e).append(" {\n        uuid id PK\n    }\n");
        }
        for (TableDesign t : design.tables()) {
            for (ForeignKey fk : t.foreignKeys()) {
                boolean nullable = t.column(fk.column()).map(Column::nullable).orElse(false);
                m.append("    ").append(entity(fk)).append(nullable ? " |o--o{ " : " ||--o{ ").append(t.name())
                        .append(" : \"").append(fk.column()).append(label(fk)).append("\"\n");
            }
        }
        return m.toString();
    }

    private static String entity(ForeignKey fk) {
        return fk.refSchema().equals("public") ? fk.refTable() : fk.refSchema() + "_" + fk.refTable();
    }

    private static String label(ForeignKey fk) {
        return switch (fk.role()) {
            case OWNER -> " (owner)";
            case MEMBER -> " (member)";
            case TENANT -> " (tenant)";
            default -> "";
        };
    }

    private static String keys(TableDesign t, Column c) {
        List<String> keys = new ArrayList<>();
        if (t.primaryKey().contains(c.name())) {
            keys.add("PK");
        }
        if (t.foreignKey(c.name()).isPresent()) {
            keys.add("FK");
        }
        if (keys.isEmpty() && t.uniques().stream().anyMatch(u -> u.columns().equals(List.of(c.name())))) {
            keys.add("UK");
        }
        return String.join(", ", keys);
    }

    private static String comment(TableDesign t, Column c) {
        List<String> notes = new ArrayList<>();
        if (!mermaidType(c.type()).equals(c.type())) {
            notes.add(c.type());
        }
        if (!c.enumValues().isEmpty()) {
            notes.add(String.join(" | ", c.enumValues()));
        }
        if (!c.nullable() && !t.primaryKey().contains(c.name())) {
            notes.add("not null");
        }
        return String.join("; ", notes);
    }

    /** Mermaid wants a type to be one word of letters, digits, - and _. */
    static String mermaidType(String sql) {
        String t = sql.replaceAll("\\(.*\\)", "");
        if (t.endsWith("[]")) {
            t = t.substring(0, t.length() - 2) + "_array";
        }
        return t.replace(' ', '_');
    }
}
