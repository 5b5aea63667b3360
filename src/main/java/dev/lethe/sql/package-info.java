/**
 * The SQL model: quoted identifiers, table shapes, id types and every statement of a target, built once at startup
 * (the golden files in src/test/resources/sql/ show them whole). Imports nothing of Lethe.
 */
package dev.lethe.sql;
