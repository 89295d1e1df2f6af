package dev.backendteam.security.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The security role's settings. */
@ConfigMapping(prefix = "backend-team.security")
public interface SecurityConfig {

    /**
     * Whether an access intent a model drafted (no intent declared, a model configured) waits for the user's yes
     * before the matrix takes it as the expected verdicts. False uses the draft at once, labelled as not confirmed.
     */
    @WithDefault("true")
    boolean confirmDraftedAccess();
}
