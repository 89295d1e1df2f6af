package dev.backendteam.ops.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The debugger's settings: how much of a log it scans (head and tail of a longer one). */
@ConfigMapping(prefix = "backend-team.ops.debugger")
public interface DebuggerConfig {

    /** Characters of a log scanned; past it the beginning and the end are read and the report says so. */
    @WithDefault("524288")
    int maxLogChars();
}
