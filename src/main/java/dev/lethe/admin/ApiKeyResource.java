package dev.lethe.admin;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lethe.admin.AdminAuth.Scope;
import dev.lethe.admin.ApiKeys.ApiKeyView;
import dev.lethe.admin.ApiKeys.CreatedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * API keys of the admin API: create (the key is in the answer, once), list (never the key), revoke. The bootstrap
 * key from configuration may use these endpoints, and only these.
 */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final AdminAuth auth;
    private final ApiKeys keys;
    private final ObjectMapper json;

    public ApiKeyResource(AdminAuth auth, ApiKeys keys, ObjectMapper json) {
        this.auth = auth;
        this.keys = keys;
        this.json = json;
    }

    /** The body is read only once the caller is authorized, so that nobody learns anything without a key. */
    @POST
    public Uni<RestResponse<CreatedKey>> create(String body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return auth.authorize(authorization, AdminResource.client(request), Scope.KEYS, (connection, caller) -> {
            JsonNode fields = parse(body);
            String name = fields.path("name").asText("").trim();
            if (name.isEmpty() || name.length() > 200) {
                throw new AdminErrors.BadRequest("name is required, at most 200 characters");
            }
            Optional<OffsetDateTime> expiresAt = expiry(fields.path("expiresAt"));
            return keys.create(connection, name, expiresAt);
        }).map(created -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    @GET
    public Uni<List<ApiKeyView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        return auth.authorize(authorization, AdminResource.client(request), Scope.KEYS,
                (connection, caller) -> keys.list(connection));
    }

    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return auth.authorize(authorization, AdminResource.client(request), Scope.KEYS, (connection, caller) -> {
            UUID key;
            try {
                key = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new AdminErrors.NotFound("no such key");
            }
            return keys.revoke(connection, key).map(found -> {
                if (!found) {
                    throw new AdminErrors.NotFound("no such key");
                }
                return RestResponse.<Void>noContent();
            });
        });
    }

    private JsonNode parse(String body) {
        try {
            JsonNode fields = json.readTree(body == null ? "" : body);
            if (fields == null || !fields.isObject()) {
                throw new AdminErrors.BadRequest("expected a JSON object: {\"name\": ..., \"expiresAt\": ...}");
            }
            return fields;
        } catch (java.io.IOException e) {
            throw new AdminErrors.BadRequest("expected a JSON object: {\"name\": ..., \"expiresAt\": ...}");
        }
    }

    private static Optional<OffsetDateTime> expiry(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
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
