package dev.backendteam.dbarchitect.engine.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Reads a domain spec written in YAML or JSON (JSON is YAML too) into the JSON tree the validator checks. */
public final class DomainSpecReader {
    private static final YAMLMapper YAML = new YAMLMapper();

    private DomainSpecReader() {
    }

    /** The spec's tree; a text that is neither YAML nor JSON throws {@link InvalidSpecText} with line and column. */
    public static JsonNode read(String text) {
        try {
            JsonNode node = YAML.readTree(text == null ? "" : text);
            return node == null ? YAML.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidSpecText("not YAML or JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    public static final class InvalidSpecText extends IllegalArgumentException {
        public InvalidSpecText(String message) {
            super(message);
        }
    }
}
