package dev.backendteam.orchestrator.config;

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
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;
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
import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowStep;
import dev.backendteam.orchestrator.engine.JobReport;
import dev.backendteam.orchestrator.engine.UsageSummary;
import dev.backendteam.orchestrator.repository.JobRepository;
import dev.backendteam.orchestrator.rest.JobView;
import dev.backendteam.orchestrator.rest.Problem;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types read or written by plain Jackson mappers (the contract's, the flow catalogue's YAML) rather than through
 * a REST signature Quarkus can see: a native image must keep their constructors and accessors.
 */
@RegisterForReflection(targets = { TaskEvent.class, ResultEvent.class, JobRequest.class, JobAnswer.class,
        JobUpdate.class, JobCompleted.class, JobInputs.class, QueryInput.class, WriteRate.class, FileInput.class,
        Clarification.class, Artifact.class, ArtifactKind.class, Finding.class, Evidence.class, Evidence.SandboxRun.class,
        EvidenceStatus.class, EvidenceData.class, RlsMatrix.class, RlsMatrix.Case.class, RlsMatrix.Sensitivity.class,
        AccessIntent.class, TableIntent.class, TableIntent.Parent.class, Tenancy.class, Grantee.class, Operation.class,
        PlanCosts.class, PlanCosts.Query.class, PlanCosts.Index.class, PlanCosts.Baseline.class,
        PlanCosts.Totals.class, CatalogDiff.class, GrantCheck.class, GrantCheck.Row.class,
        ModelUsage.class, ModelCall.class, UsageSummary.class, UsageSummary.ByModel.class,
        Handoff.class, Severity.class, Specialist.class, TaskKind.class, ResultStatus.class, FailureKind.class,
        JobStatus.class, FlowCatalog.class, FlowCatalog.Flow.class, FlowCatalog.RoutingRule.class, FlowStep.class,
        JobReport.class, JobReport.StepReport.class, JobReport.Access.class, JobReport.ValidationItem.class,
        JobView.class, JobView.StepView.class, Problem.class, InvalidRequestException.Violation.class,
        JobRepository.Summary.class })
public class ReflectionRegistrations {
}
