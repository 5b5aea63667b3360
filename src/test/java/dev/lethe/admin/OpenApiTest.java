package dev.lethe.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.client.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The admin API's OpenAPI document, served on the management port beside health and metrics, describes exactly the
 * calls the service has, each with the bearer scheme and the scope it needs; and the service answers each call with
 * 403 to a valid key that lacks that scope, so the document cannot drift from what is enforced.
 */
@QuarkusTest
@TestProfile(OpenApiTest.Profile.class)
class OpenApiTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected Map<String, String> config() {
            return Map.of("lethe.targets.message.table", "Message", "lethe.admin.bootstrap-key", AdminApiTest.BOOTSTRAP,
                    "lethe.sweep.every", "1h");
        }
    }

    private static final List<String> SCOPES = List.of("read", "operate", "keys");

    @Test
    void theDocumentListsEveryCallWithTheScopeTheServiceEnforces() throws Exception {
        String text = Management.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        JsonNode document = new ObjectMapper().readTree(text);
        assertThat(document.at("/components/securitySchemes/" + AdminApiDefinition.BEARER + "/scheme").asText())
                .isEqualTo("bearer");

        Set<String> documented = new TreeSet<>();
        Map<String, String> scopes = new java.util.HashMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String call = op.getKey().toUpperCase() + " " + path.getKey();
            documented.add(call);
            scopes.put(call, op.getValue().path(AdminApiDefinition.SCOPE).asText());
        }));
        assertThat(documented).as("calls in the document").isEqualTo(resourceMethods());
        assertThat(document.at("/paths/~1admin~1sweep/post/parameters").findValuesAsText("name"))
                .containsExactlyInAnyOrder("target", "dryRun");

        Map<String, String> keyWithout = new java.util.HashMap<>();
        for (String scope : SCOPES) {
            List<String> others = SCOPES.stream().filter(other -> !other.equals(scope)).toList();
            keyWithout.put(scope, given().header("Authorization", "Bearer " + AdminApiTest.BOOTSTRAP)
                    .contentType("application/json").body("{\"name\": \"without " + scope + "\", \"scopes\": [\""
                            + String.join("\", \"", others) + "\"]}")
                    .post("/admin/api-keys").then().statusCode(201).extract().jsonPath().getString("key"));
        }
        for (String call : documented) {
            String scope = scopes.get(call);
            assertThat(scope).as(call + " names its scope").isIn(SCOPES);
            String method = call.substring(0, call.indexOf(' '));
            String path = call.substring(call.indexOf(' ') + 1).replace("{name}", "message")
                    .replace("{id}", java.util.UUID.randomUUID().toString());
            int status = given().header("Authorization", "Bearer " + keyWithout.get(scope))
                    .contentType("application/json").body("{}").request(method, path).then().extract().statusCode();
            assertThat(status).as(call + " with a key that lacks " + scope).isEqualTo(403);
        }
    }

    /** Every call of the admin resources, as {@code METHOD /path}. */
    private static Set<String> resourceMethods() {
        Set<String> calls = new TreeSet<>();
        for (Class<?> resource : new Class<?>[] {AdminResource.class, ApiKeyResource.class}) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                List<String> verbs = new ArrayList<>();
                if (method.isAnnotationPresent(GET.class)) {
                    verbs.add("GET");
                }
                if (method.isAnnotationPresent(POST.class)) {
                    verbs.add("POST");
                }
                if (method.isAnnotationPresent(DELETE.class)) {
                    verbs.add("DELETE");
                }
                Path path = method.getAnnotation(Path.class);
                verbs.forEach(verb -> calls.add(verb + " " + base + (path == null ? "" : path.value())));
            }
        }
        return calls;
    }
}
