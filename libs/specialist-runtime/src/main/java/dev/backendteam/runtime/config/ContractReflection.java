package dev.backendteam.runtime.config;

import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The contract's own ObjectMapper reads and writes these by reflection; a native image must keep them. */
@RegisterForReflection(targets = { TaskEvent.class, JobInputs.class, QueryInput.class, WriteRate.class, FileInput.class,
        Clarification.class, Artifact.class, ArtifactKind.class, ResultEvent.class, Finding.class, Evidence.class,
        Evidence.SandboxRun.class, EvidenceStatus.class, EvidenceData.class, Handoff.class, Severity.class,
        Specialist.class, TaskKind.class, ResultStatus.class, FailureKind.class, RlsMatrix.class,
        RlsMatrix.Case.class, RlsMatrix.Sensitivity.class, PlanCosts.class, PlanCosts.Query.class,
        PlanCosts.Index.class, PlanCosts.Baseline.class, PlanCosts.Totals.class, CatalogDiff.class, GrantCheck.class, GrantCheck.Row.class, AccessIntent.class, TableIntent.class,
        TableIntent.Parent.class, Tenancy.class, Grantee.class, Operation.class, Diagnosis.class,
        ModelUsage.class, ModelCall.class })
public class ContractReflection {
}
