/**
 * PostgreSQL access: the pool, its settings, and how failures are told apart. Uses {@code config}.
 */
package dev.lethe.store;
