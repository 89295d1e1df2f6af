package dev.backendteam.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One reading of Linux's {@code /proc/<pid>/stat}, its fields by their number in proc(5). The command name (field 2)
 * may hold spaces and parentheses, so the fields are counted from its last closing parenthesis.
 */
public final class ProcStat {
    /** Field 3 (state) onwards. */
    private final String[] fields;

    private ProcStat(String[] fields) {
        this.fields = fields;
    }

    /** The process's stat, or empty where there is none (not Linux, no such process, an unreadable file). */
    public static Optional<ProcStat> of(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int command = text.lastIndexOf(')');
            return command < 0 ? Optional.empty()
                    : Optional.of(new ProcStat(text.substring(command + 1).trim().split(" +")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field {@code number} (3 or more) as a number, or empty if the line has no such field or it is not one. */
    public Optional<Long> number(int number) {
        int index = number - 3;
        return index >= 0 && index < fields.length && fields[index].matches("-?\\d+")
                ? Optional.of(Long.parseLong(fields[index])) : Optional.empty();
    }
}
