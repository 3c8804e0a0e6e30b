package io.letterlock.events;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info = @Info(title = "Letterlock events-service", version = "0.1.0",
                description = "SendGrid-compatible Event Webhook settings (signed, batched webhooks of mail events), "
                        + "Email Activity, the TLS report and the live TLS check of a receiving domain. Authenticate "
                        + "with 'Authorization: Bearer <api key>'; a parent account may act for its subuser with "
                        + "'on-behalf-of: <subuser id>'."),
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = "bearer",
                type = SecuritySchemeType.HTTP, scheme = "bearer")))
public class OpenApiDefinition extends Application {
}
