package dev.backendteam.sandbox;

import java.util.List;

/**
 * What {@link Sandbox#prepare()} found and did. {@code limitations} lists every hardening step the admin could not
 * take (e.g. a non-superuser admin cannot give service_role BYPASSRLS): empty on a superuser admin.
 * {@code grants} is the settings' grant model, whose template ({@code template}) prepare() checked or built.
 */
public record PrepareReport(int serverVersionNum, String serverVersion, boolean adminIsSuperuser,
                            boolean templateRebuilt, String updatedAtHelper, List<String> limitations,
                            SweepReport sweep, long durationMs, GrantModel grants, String template) {

    public PrepareReport {
        limitations = List.copyOf(limitations);
    }
}
