package dev.backendteam.contract;

/** CloudEvents {@code type} attribute of each message kind (binary mode: carried in the {@code ce_type} header). */
public final class EventTypes {
    public static final String TASK = "dev.backendteam.task.v" + Contract.VERSION;
    public static final String RESULT = "dev.backendteam.result.v" + Contract.VERSION;
    public static final String JOB_REQUESTED = "dev.backendteam.job.requested.v" + Contract.VERSION;
    public static final String JOB_ANSWER = "dev.backendteam.job.answer.v" + Contract.VERSION;
    public static final String JOB_UPDATE = "dev.backendteam.job.update.v" + Contract.VERSION;
    public static final String JOB_COMPLETED = "dev.backendteam.job.completed.v" + Contract.VERSION;

    private EventTypes() {
    }
}
