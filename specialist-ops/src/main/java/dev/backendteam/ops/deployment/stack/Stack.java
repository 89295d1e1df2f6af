package dev.backendteam.ops.deployment.stack;

import dev.backendteam.contract.Finding;

import java.util.List;

/** What the files of a job say is to be deployed, and what the detector noticed on the way. */
public record Stack(List<Deployable> deployables, List<Finding> findings) {
    public Stack {
        deployables = List.copyOf(deployables);
        findings = List.copyOf(findings);
    }
}
