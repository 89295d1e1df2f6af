package dev.backendteam.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which of a job's files are the user's existing migrations, and in which order they apply. They are the job's base
 * schema: applied before the job's own migrations in every proof, linted as existing objects, never re-delivered.
 * <ul>
 *   <li>SQL files in a folder named {@code migrations} or {@code migration} (the Supabase CLI's
 *   {@code supabase/migrations/}, Flyway's {@code db/migration/}, …), if there are any, in the order of their file
 *   names compared with numbers as numbers ({@code V2__} before {@code V10__}, timestamps as they are);</li>
 *   <li>otherwise every SQL file, in the order the files were given.</li>
 * </ul>
 * Seed data ({@code seed.sql}) and down scripts ({@code *.down.sql}, folders {@code rollbacks}, {@code down}) are
 * never part of it.
 */
public final class BaseMigrations {
    private static final Comparator<FileInput> BY_NAME = Comparator.comparing((FileInput f) -> fileName(f.path()),
            BaseMigrations::natural).thenComparing(FileInput::path);

    private BaseMigrations() {
    }

    public static List<FileInput> of(List<FileInput> files) {
        List<FileInput> sql = new ArrayList<>();
        for (FileInput f : files) {
            if (f != null && f.path() != null && f.content() != null && isMigration(f.path())) {
                sql.add(f);
            }
        }
        List<FileInput> inFolder = sql.stream().filter(f -> inMigrationFolder(f.path())).sorted(BY_NAME).toList();
        return inFolder.isEmpty() ? List.copyOf(sql) : inFolder;
    }

    private static boolean isMigration(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        String name = fileName(p);
        List<String> folders = folders(p);
        return p.endsWith(".sql") && !name.equals("seed.sql") && !p.endsWith(".down.sql")
                && !folders.contains("rollbacks") && !folders.contains("down");
    }

    private static boolean inMigrationFolder(String path) {
        List<String> folders = folders(path.toLowerCase(Locale.ROOT));
        return !folders.isEmpty() && (folders.get(folders.size() - 1).equals("migrations")
                || folders.get(folders.size() - 1).equals("migration"));
    }

    private static List<String> folders(String path) {
        String[] parts = path.split("/");
        return List.of(parts).subList(0, parts.length - 1);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Compares runs of digits by value and everything else as text: V2 before V10. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
