/** Who a user is: identity providers other than Gantry's local users ({@link dev.gantry.api.security.IdentityProvider}). */
package dev.gantry.api.security;
