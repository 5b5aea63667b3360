package dev.lethe.admin;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lethe.admin.ApiKeys.ApiKeyView;
import dev.lethe.admin.ApiKeys.CreatedKey;
import dev.lethe.metrics.AdminAction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * API keys of the admin API: create (the key is in the answer, once), list (never the key), revoke; all need the
 * {@code keys} scope, which the bootstrap key from configuration has, and only that.
 */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private static final String SHAPE = "expected {\"name\": \"...\", \"scopes\": [\"read\", \"operate\", \"keys\"],"
            + " \"expiresAt\": optional ISO-8601 with offset}";
    private static final Set<String> FIELDS = Set.of("name", "scopes", "expiresAt");

    private final AdminAuth auth;
    private final AdminAudit audit;
    private final ApiKeys keys;
    private final ObjectMapper json;

    public ApiKeyResource(AdminAuth auth, AdminAudit audit, ApiKeys keys, ObjectMapper json) {
        this.auth = auth;
        this.audit = audit;
        this.keys = keys;
        this.json = json;
    }

    /** The body is read only once the caller is authorized, so that nobody learns anything without a key. */
    @POST
    @Operation(summary = "A new key, shown in the answer this once",
            description = "Body: {\"name\": 1 to 200 characters, \"scopes\": one or more of read, operate, keys,"
                    + " \"expiresAt\": optional ISO-8601 with offset}; any other field is refused (400).")
    @Extension(name = AdminApiDefinition.SCOPE, value = "keys")
    public Uni<RestResponse<CreatedKey>> create(String body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return authorized(authorization, request, AdminAction.CREATE_KEY, "a new key")
                .chain(caller -> audit.record(caller, AdminAction.CREATE_KEY, "a new key",
                        Uni.createFrom().deferred(() -> {
                            QueryParameters.of(request.params());
                            JsonNode fields = parse(body);
                            return keys.create(name(fields), scopes(fields.path("scopes")),
                                    expiry(fields.path("expiresAt")));
                        }), created -> "key " + created.id() + " (" + created.name() + ") with " + created.scopes()))
                .map(created -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    @GET
    @Operation(summary = "Every key: name, scopes, created, last used, expiry, revocation; never the key")
    @Extension(name = AdminApiDefinition.SCOPE, value = "keys")
    public Uni<List<ApiKeyView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        return auth.authorize(authorization, AdminResource.client(request), Scope.KEYS)
                .invoke(caller -> QueryParameters.of(request.params()))
                .chain(caller -> keys.list());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes a key; it stays listed for audit")
    @Extension(name = AdminApiDefinition.SCOPE, value = "keys")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        String what = "key " + QueryParameters.shorten(id);
        return authorized(authorization, request, AdminAction.REVOKE_KEY, what)
                .chain(caller -> audit.record(caller, AdminAction.REVOKE_KEY, what, Uni.createFrom().deferred(() -> {
                    QueryParameters.of(request.params());
                    UUID key;
                    try {
                        key = UUID.fromString(id);
                    } catch (IllegalArgumentException e) {
                        throw new AdminErrors.NotFound("no such key");
                    }
                    return keys.revoke(key).map(name -> name.orElseThrow(() -> new AdminErrors.NotFound(
                            "no such key")));
                }), name -> "revoked (" + name + ")"))
                .map(name -> RestResponse.<Void>noContent());
    }

    private Uni<Caller> authorized(String authorization, HttpServerRequest request, AdminAction action, String what) {
        return audit.authorizing(auth.authorize(authorization, AdminResource.client(request), Scope.KEYS), action,
                what);
    }

    private JsonNode parse(String body) {
        JsonNode fields;
        try {
            fields = json.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            throw new AdminErrors.BadRequest("the body is not JSON: " + SHAPE);
        }
        if (fields == null || !fields.isObject()) {
            throw new AdminErrors.BadRequest(SHAPE);
        }
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new AdminErrors.BadRequest("unknown field " + QueryParameters.shorten(name) + ": " + SHAPE);
            }
        }
        return fields;
    }

    private static String name(JsonNode fields) {
        JsonNode value = fields.path("name");
        String name = value.isTextual() ? value.asText().trim() : "";
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new AdminErrors.BadRequest("name is required: a string of 1 to 200 printable characters");
        }
        return name;
    }

    /** Required, so that a key never holds more than its creator meant to give it. */
    private static Set<Scope> scopes(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            throw new AdminErrors.BadRequest("scopes is required: a list of one or more of read, operate, keys");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode each : value) {
            Optional<Scope> scope = each.isTextual() ? Scope.of(each.asText()) : Optional.empty();
            scopes.add(scope.orElseThrow(() -> new AdminErrors.BadRequest("unknown scope "
                    + QueryParameters.shorten(each.toString()) + ": the scopes are read, operate and keys")));
        }
        return scopes;
    }

    private static Optional<OffsetDateTime> expiry(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new AdminErrors.BadRequest("expiresAt must be an ISO-8601 date-time with offset, such as"
                    + " 2027-01-01T00:00:00Z");
        }
        try {
            OffsetDateTime expiresAt = OffsetDateTime.parse(value.asText());
            if (!expiresAt.isAfter(OffsetDateTime.now())) {
                throw new AdminErrors.BadRequest("expiresAt must lie in the future");
            }
            return Optional.of(expiresAt);
        } catch (DateTimeParseException e) {
            throw new AdminErrors.BadRequest("expiresAt must be an ISO-8601 date-time with offset,"
                    + " such as 2027-01-01T00:00:00Z");
        }
    }
}
