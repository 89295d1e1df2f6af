package dev.backendteam.orchestrator.config;

import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowExamples;
import dev.backendteam.orchestrator.engine.FlowStep;
import dev.backendteam.orchestrator.engine.JobReport;
import dev.backendteam.orchestrator.engine.UsageSummary;
import dev.backendteam.orchestrator.repository.JobRepository;
import dev.backendteam.orchestrator.rest.JobView;
import dev.backendteam.orchestrator.rest.Problem;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The orchestrator's own types read or written by plain Jackson mappers (the job store's JSON columns, the flow
 * catalogue's and the examples' YAML, the report) rather than through a REST signature Quarkus can see: a native image
 * must keep their constructors and accessors. The contract's are in {@link ContractReflection}; NativeConfigurationTest
 * fails when a type a mapper reaches is in neither.
 */
@RegisterForReflection(targets = { UsageSummary.class, UsageSummary.ByModel.class, FlowCatalog.class,
        FlowCatalog.Flow.class, FlowCatalog.RoutingRule.class, FlowExamples.class, FlowStep.class, JobReport.class,
        JobReport.StepReport.class, JobReport.Access.class, JobReport.ValidationItem.class, JobView.class,
        JobView.StepView.class, Problem.class, InvalidRequestException.Violation.class, JobRepository.Summary.class })
public class ReflectionRegistrations {
}
