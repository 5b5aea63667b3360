/**
 * Readiness: whether this instance is deleting on time. Uses the packages whose state it reports.
 */
package dev.lethe.health;
