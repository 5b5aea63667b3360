/**
 * The configured targets, resolved against PostgreSQL's catalog once at startup (tables, columns, types, guards,
 * indexes) into {@link dev.lethe.sql.Target}s. Uses {@code config}, {@code sql} and {@code store}.
 */
package dev.lethe.catalog;
