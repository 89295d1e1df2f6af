package dev.backendteam.runtime.config;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.KafkaSecurity;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelChoice;
import dev.backendteam.contract.llm.ModelJson;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.contract.llm.ProviderFault;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The contract's ObjectMapper ({@code Json}) reads and writes its records and enums by reflection; a native image must
 * keep every one of them. NativeConfigurationTest fails when a record or enum of the contract is missing here.
 * The orchestrator, which does not bring this runtime, keeps the same list; the same test holds both.
 */
@RegisterForReflection(targets = { Artifact.class, ArtifactKind.class, Clarification.class, Diagnosis.class,
        Evidence.class, Evidence.SandboxRun.class, EvidenceData.class, EvidenceStatus.class, FailureKind.class,
        FileInput.class, Finding.class, Handoff.class, JobAnswer.class, JobCompleted.class, JobInputs.class,
        JobRequest.class, JobStatus.class, JobUpdate.class, KafkaSecurity.class, QueryInput.class, ResultEvent.class,
        ResultStatus.class,
        Role.class, Severity.class, Specialist.class, StepOutcome.class, TaskEvent.class, TaskKind.class,
        WriteRate.class, AccessIntent.class, Grantee.class, Grantee.Kind.class, Operation.class,
        SpecAccess.Problem.class, SpecAccess.Result.class, TableIntent.class, TableIntent.Parent.class,
        Tenancy.class, CatalogDiff.class, EvidenceKind.class, GrantCheck.class, GrantCheck.Row.class,
        PlanCosts.class, PlanCosts.Baseline.class, PlanCosts.Index.class, PlanCosts.Query.class,
        PlanCosts.Totals.class, RlsMatrix.class, RlsMatrix.Case.class, RlsMatrix.Sensitivity.class, ModelCall.class,
        ModelChoice.class, ModelChoice.Provider.class, ModelJson.Read.class, ModelSession.Reply.class,
        ModelSession.Settings.class, ModelTool.class, ModelUsage.class, ProviderFault.class,
        ProviderFault.Kind.class, RepairLoop.Outcome.class, RepairLoop.Problem.class, RepairLoop.Stop.class,
        StructuredDraft.Answer.class })
public class ContractReflection {
}
