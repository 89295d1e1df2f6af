package dev.backendteam.dbarchitect.engine.lint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.backendteam.contract.Severity;

import java.util.Locale;

/**
 * One rule of the catalogue ({@code lint-rules.yaml}): what it is called, how severe it is, what it says and how to
 * fix it. {@code {object}} and {@code {detail}} in the message and fix are filled in per finding.
 */
public record LintRule(String id, Severity severity, Scope scope, boolean rejectsInput, String summary,
        String message, String fix) {

    public enum Scope {
        /** Only objects that existed before the migration; a table created in the same migration is exempt. */
        EXISTING,
        /** Every statement. */
        ALL;

        @JsonCreator
        public static Scope of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
