package io.letterlock.delivery.dns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Optional;

/** Static routes that override DNS for some domains (see {@link StaticRoutes} for the format). */
@ConfigMapping(prefix = "letterlock.routes")
public interface RoutesConfig {

    /**
     * {@code domain=host[:port][;match=name],domain2=host2[:port2]}, env {@code LETTERLOCK_ROUTES};
     * unset: none, every domain goes by its MX records. {@code ;match=} names the host the server's
     * certificate must carry, when it is not the route's host (always needed to require a valid
     * certificate through a route to an IP address).
     */
    @WithParentName
    Optional<String> routes();
}
