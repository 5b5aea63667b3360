package dev.lethe.admin;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.metrics.AdminAction;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.support.Failures;
import dev.lethe.support.RateLimitedLog;
import io.smallrye.mutiny.Uni;

/**
 * One log line and one count for every admin call that deletes, pauses, resumes or changes keys: who (key id and
 * name), what, and how it ended. The lines are not rate-limited: only callers holding a valid key make them.
 */
@ApplicationScoped
public class AdminAudit {

    private static final Logger LOG = Logger.getLogger(AdminAudit.class);

    private final LetheMetrics metrics;

    public AdminAudit(LetheMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Runs the work of an authorized call and records how it ended.
     *
     * @param what the action's object, as the log line names it (a target, a key)
     * @param outcome what the work's result says, for the log line
     */
    public <T> Uni<T> record(Caller caller, AdminAction action, String what, Uni<T> work, Function<T, String> outcome) {
        return work
                .invoke(result -> done(caller, action, what, AdminAction.Result.OK, outcome.apply(result)))
                .onFailure().invoke(failure -> done(caller, action, what,
                        failure instanceof AdminErrors.Answered ? AdminAction.Result.REFUSED
                                : AdminAction.Result.FAILED, Failures.describe(failure)));
    }

    /** An authorization, where a valid key that lacks the scope is recorded as refused this action. */
    public Uni<Caller> authorizing(Uni<Caller> authorization, AdminAction action, String what) {
        return authorization.onFailure(AdminErrors.Forbidden.class).invoke(forbidden -> done(
                ((AdminErrors.Forbidden) forbidden).caller, action, what, AdminAction.Result.FORBIDDEN,
                "the key lacks the scope"));
    }

    private void done(Caller caller, AdminAction action, String what, AdminAction.Result result, String outcome) {
        metrics.adminAction(action, result);
        // A key's name is a key holder's input: printable, as the call's object already is.
        LOG.infof("Admin %s of %s by %s: %s (%s)", action.label(), what,
                RateLimitedLog.printable(caller.label(), 160), result.label(), outcome);
    }
}
