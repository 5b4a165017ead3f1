/** Credential types, their lookup by steps and their binding to environment variables in {@code withCredentials}. */
package dev.gantry.api.credentials;
