package no.knutepunkt.devstack.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Stands in for the apicurio-common-app-components-config-index Quarkus extension, whose
 * build-time half (-deployment) is not published on Maven Central. That extension only lists the
 * registry's dynamic (runtime-changeable) config properties; the devstack changes none.
 */
public class DynamicConfigIndexStub {
  @Produces
  @Singleton
  DynamicConfigPropertyList dynamicConfigProperties() {
    return new DynamicConfigPropertyList(List.of());
  }
}
