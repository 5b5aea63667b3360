/**
 * Lethe's own schema ({@code lethe}), created and upgraded from db/lethe/*.sql at startup. Uses {@code store},
 * {@code sql} and {@code config}.
 */
package dev.lethe.schema;
