package dev.lethe.admin;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.lethe.catalog.Targets;
import dev.lethe.coordination.TargetPauses;
import dev.lethe.metrics.AdminAction;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.sweep.Backlog;
import dev.lethe.sweep.SweepRuns;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Operating Lethe: what each target holds, a sweep on demand, and pausing a target for an incident or a legal hold.
 * Each call is authorized first, in a transaction of its own; its work runs after, in statements of their own.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    /**
     * One target as operators see it. {@code dueRows} counts up to lethe.sweep.backlog-limit, and is null when the
     * count failed; {@code failingSeconds} and {@code lastError} say for how long, and why, its statements keep
     * failing on this instance.
     */
    public record TargetStatus(String name, String table, Long dueRows, Double oldestOverdueSeconds,
            Map<String, Long> deletedSinceStart, boolean paused, OffsetDateTime pausedAt, String pausedBy,
            double failingSeconds, String lastError) {
    }

    /** What a sweep did, or for a dry run would do, to one target. */
    public record TargetSweep(String target, long rows, String outcome) {
    }

    public record SweepReport(boolean dryRun, List<TargetSweep> targets, long total) {
    }

    public record PauseState(String target, boolean paused) {
    }

    private final AdminAuth auth;
    private final AdminAudit audit;
    private final Targets targets;
    private final TargetPauses pauses;
    private final Backlog backlog;
    private final SweepRuns runs;
    private final LetheMetrics metrics;
    private final Database database;

    public AdminResource(AdminAuth auth, AdminAudit audit, Targets targets, TargetPauses pauses, Backlog backlog,
            SweepRuns runs, LetheMetrics metrics, Database database) {
        this.auth = auth;
        this.audit = audit;
        this.targets = targets;
        this.pauses = pauses;
        this.backlog = backlog;
        this.runs = runs;
        this.metrics = metrics;
        this.database = database;
    }

    @GET
    @Path("/targets")
    @Operation(summary = "Every target: its table, due rows now, deletions since start, pause, and failures")
    @Extension(name = AdminApiDefinition.SCOPE, value = "read")
    public Uni<List<TargetStatus>> targets(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        return auth.authorize(authorization, client(request), Scope.READ)
                .invoke(caller -> QueryParameters.of(request.params()))
                .chain(caller -> pauses.states())
                .chain(states -> Multi.createFrom().iterable(targets.all())
                        .onItem().transformToUniAndMerge(target -> backlog.measure(target)
                                .map(measure -> status(target, measure, states.get(target.name()))))
                        .collect().asList()
                        .map(list -> list.stream().sorted(Comparator.comparing(TargetStatus::name)).toList()));
    }

    @POST
    @Path("/sweep")
    @Operation(summary = "Sweeps now, or counts what a sweep would delete",
            description = "Calls that arrive while a run of a target is going join it and get its result. Unknown or"
                    + " repeated parameters are refused (400).")
    @Parameter(name = "target", in = ParameterIn.QUERY, description = "One target; absent: every target",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = "true counts and deletes nothing; exactly true or"
            + " false", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
    @Extension(name = AdminApiDefinition.SCOPE, value = "operate")
    public Uni<SweepReport> sweep(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        return audit.authorizing(auth.authorize(authorization, client(request), Scope.OPERATE), AdminAction.SWEEP,
                "the sweep")
                .chain(caller -> {
                    QueryParameters parameters = QueryParameters.of(request.params(), "target", "dryRun");
                    boolean dryRun = parameters.bool("dryRun");
                    List<Target> chosen = parameters.text("target", "every target").map(name -> List.of(find(name)))
                            .orElseGet(() -> List.copyOf(targets.all()));
                    Uni<SweepReport> work = Multi.createFrom().iterable(chosen)
                            .onItem().transformToUniAndMerge(each -> dryRun ? wouldDelete(each) : sweep(each))
                            .collect().asList()
                            .map(list -> new SweepReport(dryRun,
                                    list.stream().sorted(Comparator.comparing(TargetSweep::target)).toList(),
                                    list.stream().mapToLong(TargetSweep::rows).sum()));
                    if (dryRun) {
                        return work;
                    }
                    String what = chosen.size() == 1 ? chosen.get(0).name() : "every target";
                    return audit.record(caller, AdminAction.SWEEP, what, work, report -> report.total()
                            + " rows deleted " + report.targets().stream()
                                    .map(each -> each.target() + "=" + each.outcome()).toList());
                });
    }

    @POST
    @Path("/targets/{name}/pause")
    @Operation(summary = "Stops all deletion of a target, on every instance, until it is resumed")
    @Extension(name = AdminApiDefinition.SCOPE, value = "operate")
    public Uni<PauseState> pause(@PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return setPaused(name, true, authorization, request);
    }

    @POST
    @Path("/targets/{name}/resume")
    @Operation(summary = "Deletes again, and sweeps the target at once for what fell due during the pause")
    @Extension(name = AdminApiDefinition.SCOPE, value = "operate")
    public Uni<PauseState> resume(@PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return setPaused(name, false, authorization, request)
                // The rows that fell due during the pause go now, not at the next scheduled run.
                .invoke(state -> runs.run(find(name)).subscribe().with(result -> { }, failure -> { }));
    }

    private Uni<PauseState> setPaused(String name, boolean paused, String authorization,
            HttpServerRequest request) {
        AdminAction action = paused ? AdminAction.PAUSE : AdminAction.RESUME;
        String what = QueryParameters.shorten(name);
        return audit.authorizing(auth.authorize(authorization, client(request), Scope.OPERATE), action, what)
                .chain(caller -> audit.record(caller, action, what, Uni.createFrom().deferred(() -> {
                    QueryParameters.of(request.params());
                    find(name);
                    return pauses.set(name, paused, caller.label()).replaceWith(new PauseState(name, paused));
                }), state -> state.paused() ? "paused" : "resumed"));
    }

    private Uni<TargetSweep> sweep(Target target) {
        return runs.run(target).map(result -> new TargetSweep(target.name(), result.deleted(),
                result.outcome().label()));
    }

    private Uni<TargetSweep> wouldDelete(Target target) {
        Uni<Long> alsoDue = database.execute(target.sql().countAlsoDue(), Tuple.of(backlog.limit()))
                .map(rows -> rows.iterator().next().getLong(0));
        // A count that failed is said as such: 0 rows would be a promise nobody checked.
        return backlog.measure(target).chain(measure -> measure == null
                ? Uni.createFrom().item(new TargetSweep(target.name(), 0, "failed"))
                : alsoDue.map(extra -> new TargetSweep(target.name(), measure.rows() + extra,
                        pauses.isPaused(target.name()) ? "paused" : "dry-run")));
    }

    private TargetStatus status(Target target, Backlog.Measure measure, TargetPauses.State state) {
        boolean paused = state != null && state.paused();
        return new TargetStatus(target.name(), target.shape().displayName(),
                measure == null ? null : measure.rows(), measure == null ? null : measure.oldestSeconds(),
                Map.of(Source.EVENT.label(), metrics.deletedSinceStart(target.name(), Source.EVENT),
                        Source.SWEEP.label(), metrics.deletedSinceStart(target.name(), Source.SWEEP)),
                paused, paused ? state.changedAt() : null, paused ? state.changedBy() : null,
                metrics.failingSeconds(target.name()), metrics.lastError(target.name()).orElse(null));
    }

    private Target find(String name) {
        return targets.find(name).orElseThrow(() -> new AdminErrors.NotFound("no such target: "
                + QueryParameters.shorten(name)));
    }

    static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
