package dev.backendteam.stack;

import java.nio.file.Path;

/** A process recorded in a state folder's pid files that is still running although its stack is not. */
public record Leftover(String component, long pid, String command, Path pidFile) {
    @Override
    public String toString() {
        return component + " (pid " + pid + (command == null ? "" : ", " + command) + ")";
    }
}
