package dev.lethe.admin;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import dev.lethe.admin.AdminAuth.Scope;
import dev.lethe.catalog.Targets;
import dev.lethe.coordination.TargetPauses;
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
 * Operating Lethe: what each target holds, a sweep on demand (the old {@code cleanup_all_expired_tokens()}), and
 * pausing a target for an incident or a legal hold.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    /** One target as operators see it. {@code dueRows} counts up to lethe.sweep.backlog-limit. */
    public record TargetStatus(String name, String table, Long dueRows, Double oldestOverdueSeconds,
            Map<String, Long> deletedSinceStart, boolean paused, OffsetDateTime pausedAt, String pausedBy) {
    }

    /** What a sweep did, or for a dry run would do, to one target. */
    public record TargetSweep(String target, long rows, String outcome) {
    }

    public record SweepReport(boolean dryRun, List<TargetSweep> targets, long total) {
    }

    public record PauseState(String target, boolean paused) {
    }

    private final AdminAuth auth;
    private final Targets targets;
    private final TargetPauses pauses;
    private final Backlog backlog;
    private final SweepRuns runs;
    private final LetheMetrics metrics;
    private final Database database;

    public AdminResource(AdminAuth auth, Targets targets, TargetPauses pauses, Backlog backlog, SweepRuns runs,
            LetheMetrics metrics, Database database) {
        this.auth = auth;
        this.targets = targets;
        this.pauses = pauses;
        this.backlog = backlog;
        this.runs = runs;
        this.metrics = metrics;
        this.database = database;
    }

    @GET
    @Path("/targets")
    public Uni<List<TargetStatus>> targets(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        return auth.authorize(authorization, client(request), Scope.OPERATIONS, (connection, caller) ->
                pauses.states(connection).chain(states -> Multi.createFrom().iterable(targets.all())
                        .onItem().transformToUniAndConcatenate(target -> backlog.measure(target)
                                .map(measure -> status(target, measure, states.get(target.name()))))
                        .collect().asList()));
    }

    @POST
    @Path("/sweep")
    public Uni<SweepReport> sweep(@QueryParam("target") String target, @QueryParam("dryRun") boolean dryRun,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return auth.authorize(authorization, client(request), Scope.OPERATIONS, (connection, caller) -> {
            List<Target> chosen = target == null || target.isEmpty() ? List.copyOf(targets.all())
                    : List.of(find(target));
            Multi<TargetSweep> swept = Multi.createFrom().iterable(chosen)
                    .onItem().transformToUniAndMerge(each -> dryRun ? wouldDelete(each) : sweep(each));
            return swept.collect().asList().map(list -> new SweepReport(dryRun,
                    list.stream().sorted((a, b) -> a.target().compareTo(b.target())).toList(),
                    list.stream().mapToLong(TargetSweep::rows).sum()));
        });
    }

    @POST
    @Path("/targets/{name}/pause")
    public Uni<PauseState> pause(@PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return setPaused(name, true, authorization, request);
    }

    @POST
    @Path("/targets/{name}/resume")
    public Uni<PauseState> resume(@PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return setPaused(name, false, authorization, request)
                // The rows that fell due during the pause go now, not at the next scheduled run.
                .invoke(state -> runs.run(find(name)).subscribe().with(result -> { }, failure -> { }));
    }

    private Uni<PauseState> setPaused(String name, boolean paused, String authorization, HttpServerRequest request) {
        return auth.authorize(authorization, client(request), Scope.OPERATIONS, (connection, caller) -> {
            find(name);
            return pauses.set(connection, name, paused, caller.label()).replaceWith(new PauseState(name, paused));
        }).invoke(state -> pauses.applied(name, paused));
    }

    private Uni<TargetSweep> sweep(Target target) {
        return runs.run(target).map(result -> new TargetSweep(target.name(), result.deleted(),
                result.outcome().label()));
    }

    private Uni<TargetSweep> wouldDelete(Target target) {
        Uni<Long> alsoDue = database.execute(target.sql().countAlsoDue(), Tuple.of(backlog.limit()))
                .map(rows -> rows.iterator().next().getLong(0));
        return backlog.measure(target).chain(measure -> alsoDue.map(extra -> new TargetSweep(target.name(),
                (measure == null ? 0 : measure.rows()) + extra,
                pauses.isPaused(target.name()) ? "paused" : "dry-run")));
    }

    private TargetStatus status(Target target, Backlog.Measure measure, TargetPauses.State state) {
        boolean paused = state != null && state.paused();
        return new TargetStatus(target.name(), target.shape().displayName(),
                measure == null ? null : measure.rows(), measure == null ? null : measure.oldestSeconds(),
                Map.of(Source.EVENT.label(), metrics.deletedSinceStart(target.name(), Source.EVENT),
                        Source.SWEEP.label(), metrics.deletedSinceStart(target.name(), Source.SWEEP)),
                paused, paused ? state.changedAt() : null, paused ? state.changedBy() : null);
    }

    private Target find(String name) {
        return targets.find(name).orElseThrow(() -> new AdminErrors.NotFound("no such target: "
                + (name.length() > 64 ? name.substring(0, 64) + "..." : name)));
    }

    static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
