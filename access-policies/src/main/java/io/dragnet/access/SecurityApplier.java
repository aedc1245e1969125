package io.dragnet.access;

import io.dragnet.opensearch.client.SecurityConfigApplier;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.util.List;

/**
 * Applies a compiled policy and its audit configuration with {@link SecurityConfigApplier} (the same code the
 * deploy-time custom resource runs on AWS), owning the roles and mappings named {@link SecurityCompiler#ROLE_PREFIX}.
 */
public final class SecurityApplier
{
    private final SecurityConfigApplier applier;

    public SecurityApplier(OpenSearchClient client)
    {
        this.applier = new SecurityConfigApplier(client, SecurityCompiler.ROLE_PREFIX);
    }

    /** Returns one line per object written or removed. */
    public List<String> apply(SecurityCompiler.Compiled compiled, AuditConfig audit)
    {
        return applier.apply(config(compiled, audit));
    }

    /** The local binding's whole security configuration: the compiled policy and its audit configuration as written. */
    public static SecurityConfigApplier.SecurityConfig config(SecurityCompiler.Compiled compiled, AuditConfig audit)
    {
        return new SecurityConfigApplier.SecurityConfig(compiled.actionGroups(), compiled.tenants(), compiled.roles(), compiled.roleMappings(), audit.body());
    }
}
