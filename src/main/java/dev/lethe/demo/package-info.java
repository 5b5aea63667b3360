/**
 * The demo that {@code mvn quarkus:dev} runs: a database with the ready-made tables, and a publisher that writes rows
 * and keys the way a chat backend does. Off unless lethe.demo.enabled; a leaf that nothing imports.
 */
package dev.lethe.demo;
