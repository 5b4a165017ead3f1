package dev.gantry.engine.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The four roles and the permissions each carries. Granted globally they apply everywhere;
 * granted on a folder they apply to the folder and everything in it (docs/security.md).
 */
public enum Role {
    /** Everything. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Runs the shop: builds, jobs, agents and credentials, but not plugins or users. */
    OPERATOR(EnumSet.of(Permission.READ, Permission.BUILD, Permission.CANCEL, Permission.REPLAY, Permission.CONFIGURE,
            Permission.DELETE, Permission.MANAGE_AGENTS, Permission.MANAGE_CREDENTIALS)),
    /** Writes and runs pipelines. */
    DEVELOPER(EnumSet.of(Permission.READ, Permission.BUILD, Permission.CANCEL, Permission.REPLAY, Permission.CONFIGURE)),
    /** Looks. */
    VIEWER(EnumSet.of(Permission.READ));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    /** The permissions this role grants; immutable. */
    public Set<Permission> permissions() {
        return permissions;
    }

    /** The name in JSON and on the command line: {@code admin}, {@code viewer}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code id} (any case).
     *
     * @throws IllegalArgumentException naming the known roles when there is none of that name
     */
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("no role '" + id + "'; the roles are "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
