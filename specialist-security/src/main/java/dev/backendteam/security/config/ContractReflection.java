package dev.backendteam.security.config;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The contract's own ObjectMapper reads and writes these by reflection; a native image must keep them. */
@RegisterForReflection(targets = { TaskEvent.class, JobInputs.class, QueryInput.class, FileInput.class,
        Clarification.class, Artifact.class, ArtifactKind.class, ResultEvent.class, Finding.class, Evidence.class,
        Handoff.class, Severity.class, Specialist.class, TaskKind.class, ResultStatus.class, FailureKind.class })
public class ContractReflection {
}
