package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fields of /proc/<pid>/stat counted as proc(5) numbers them, whatever the command name holds. */
class ProcStatTest {

    @Test
    void aCommandNameWithSpacesAndParenthesesShiftsNoField(@TempDir Path tmp) throws Exception {
        // the kernel shows the executable's name in field 2 as it is: "(a) (b c)"
        Path odd = Files.copy(Path.of("/bin/sleep"), tmp.resolve("a) (b c"), StandardCopyOption.COPY_ATTRIBUTES);
        Process child = new ProcessBuilder(odd.toString(), "30").start();
        try {
            ProcStat stat = ProcStat.of(child.pid()).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), stat.number(4).orElseThrow(), "field 4 is the parent's pid");
            assertTrue(stat.number(22).orElseThrow() > 0, "field 22, the start in ticks since boot");
            assertTrue(stat.number(3).isEmpty(), "field 3 is the state, a letter");
            assertTrue(stat.number(200).isEmpty(), "no such field");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void noProcessNoStat() {
        assertTrue(ProcStat.of(Long.MAX_VALUE).isEmpty());
    }
}
