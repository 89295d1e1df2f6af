package dev.backendteam.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Where the figures came from: they mean little without the cores, memory, JVM and what else was running. */
record Machine(int cores, String cpu, long memoryBytes, String os, String java) {

    static Machine current() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        String distribution = readLine(Path.of("/etc/os-release"), "PRETTY_NAME=").map(s -> s.replace("\"", ""))
                .map(s -> " (" + s + ")").orElse("");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + distribution;
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
        String cpu = readLine(Path.of("/proc/cpuinfo"), "model name").map(s -> s.substring(s.indexOf(':') + 1).trim())
                .orElse("unknown CPU");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memory, os, java);
    }

    /** One-minute load average, or NaN where the OS has none. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    String describe() {
        String mem = memoryBytes > 0 ? String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024))
                : "unknown";
        return cores + " cores (" + cpu + "), " + mem + " memory, " + os + ", " + java;
    }

    private static Optional<String> readLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> prefix.endsWith("=") ? l.substring(prefix.length()) : l);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
