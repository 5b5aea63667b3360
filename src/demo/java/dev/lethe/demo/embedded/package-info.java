/**
 * The demo's own PostgreSQL and Redis, for a machine with only Java and Maven: when nothing answers where the demo's
 * configuration points, embedded servers start in a temporary folder and the demo runs on them. Compiled only in the
 * Maven profile {@code demo} (src/demo/java), with the libraries that bring the servers, so that neither is in the
 * artifact users deploy.
 */
package dev.lethe.demo.embedded;
