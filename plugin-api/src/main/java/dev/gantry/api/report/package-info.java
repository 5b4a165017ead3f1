/** Data plugins attach to builds, served by the REST API ({@link dev.gantry.api.report.BuildReports}). */
package dev.gantry.api.report;
