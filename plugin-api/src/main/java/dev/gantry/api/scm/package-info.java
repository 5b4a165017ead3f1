/** Source control as plugins provide it: checkout, changelog, polling and webhooks ({@link dev.gantry.api.scm.ScmProvider}). */
package dev.gantry.api.scm;
