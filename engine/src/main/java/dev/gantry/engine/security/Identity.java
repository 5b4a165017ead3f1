package dev.gantry.engine.security;

import dev.gantry.engine.store.SecurityRepository.GrantRecord;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A signed-in user as one request sees them: name, how they proved it, and their role grants.
 * Immutable; resources get it with {@link #of(jakarta.ws.rs.core.SecurityContext)}.
 *
 * @param name the user name
 * @param via how the request was authenticated
 * @param grants the user's grants when the request arrived
 * @param session the browser session, or null when not signed in through one
 */
public record Identity(String name, Via via, List<GrantRecord> grants, Sessions.Session session) implements Principal {
    /** How a request proved who it comes from. */
    public enum Via {
        PASSWORD, TOKEN, SESSION
    }

    public Identity {
        grants = List.copyOf(grants);
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * Whether the user holds {@code permission} on {@code item}.
     *
     * @param item a job's or folder's full name, or null for a global permission
     * @param itemIsFolder whether {@code item} is a folder (a grant on a folder covers the folder itself)
     */
    public boolean permits(Permission permission, String item, boolean itemIsFolder) {
        for (GrantRecord g : grants) {
            if (!covers(g.folder(), item, itemIsFolder)) {
                continue;
            }
            Role role;
            try {
                role = Role.of(g.role());
            } catch (IllegalArgumentException e) {
                continue; // a role this version does not know grants nothing
            }
            if (role.permissions().contains(permission)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the user holds {@code permission} globally. */
    public boolean permits(Permission permission) {
        return permits(permission, null, false);
    }

    /** Whether the user holds {@code permission} globally or on at least one folder. */
    public boolean permitsSomewhere(Permission permission) {
        return grants.stream().anyMatch(g -> holds(g, permission));
    }

    /**
     * Whether {@code permission} is held on {@code folder} or on something inside it: what decides
     * if a folder is listed (and can be opened) on the way to the jobs a user may see.
     *
     * @param folder a folder's full name; the empty name is the root
     */
    public boolean permitsWithin(Permission permission, String folder) {
        if (folder.isEmpty() ? permitsSomewhere(permission) : permits(permission, folder, true)) {
            return true;
        }
        return grants.stream().anyMatch(g -> g.folder() != null && g.folder().startsWith(folder + "/") && holds(g, permission));
    }

    private static boolean holds(GrantRecord g, Permission permission) {
        try {
            return Role.of(g.role()).permissions().contains(permission);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The permissions held globally. */
    public Set<Permission> globalPermissions() {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        for (Permission p : Permission.values()) {
            if (permits(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean covers(String folder, String item, boolean itemIsFolder) {
        if (folder == null || folder.isEmpty()) {
            return true;
        }
        if (item == null) {
            return false;
        }
        return item.startsWith(folder + "/") || (itemIsFolder && item.equals(folder));
    }

    /**
     * The identity the security filter put on the request.
     *
     * @throws IllegalStateException when there is none (a method not marked signed-in or with a
     *     permission), which is a programming error
     */
    public static Identity of(jakarta.ws.rs.core.SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Identity i) {
            return i;
        }
        throw new IllegalStateException("the request has no signed-in user; mark the resource method @SignedIn or @Requires");
    }
}
