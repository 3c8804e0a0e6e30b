package io.letterlock.policy;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info = @Info(title = "Letterlock policy-service", version = "0.1.0",
                description = "Enforced TLS settings, compatible with SendGrid's v3 API, and per-recipient-domain TLS "
                        + "policies. Authenticate with 'Authorization: Bearer <api key>'; a parent account may act for "
                        + "its subuser with 'on-behalf-of: <subuser id>'."),
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = "bearer",
                type = SecuritySchemeType.HTTP, scheme = "bearer")))
public class OpenApiDefinition extends Application {
}
