package dev.lethe.admin;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The admin API as its OpenAPI document (/q/openapi on the management port) describes it: every call takes an API key
 * as a bearer token, and each needs one scope, which its operation names in {@code x-scope}. (SmallRye reads the
 * definition from the JAX-RS application class; declaring one changes nothing else: every resource is still found.)
 */
@OpenAPIDefinition(
        info = @Info(title = "Lethe admin API", version = "0.2.0",
                description = "What each target holds, sweeps on demand, pause and resume, and the API keys that"
                        + " allow them. Every error is JSON: {\"error\": code, \"detail\": sentence}.",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = @SecurityRequirement(name = AdminApiDefinition.BEARER))
@SecurityScheme(securitySchemeName = AdminApiDefinition.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key (lethe_...), made by POST /admin/api-keys with the scopes it may use: read (the GET"
                + " calls of targets), operate (sweep, pause, resume), keys (create, list, revoke keys). The bootstrap"
                + " key from configuration has keys only. A missing or invalid key is 401, a key without the scope 403;"
                + " failing attempts are limited per client and in total (429), never a valid key.")
public class AdminApiDefinition extends Application {

    static final String BEARER = "apiKey";
    /** The extension each operation names its scope in. */
    static final String SCOPE = "x-scope";
}
