package dev.backendteam.dbarchitect.engine.design;

import java.util.List;
import java.util.Optional;

/** The tables of a spec in dependency order (each after every table it references). */
public record SchemaDesign(List<TableDesign> tables) {

    public Optional<TableDesign> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<TableDesign> newTables() {
        return tables.stream().filter(t -> !t.exists()).toList();
    }
}
