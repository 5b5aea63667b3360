/**
 * How tests talk to the servers: plain JDBC, Redis commands, the one writer of expiry keys, Lethe's /q/metrics as
 * Prometheus reads them. Nothing here starts a server.
 */
package dev.lethe.testsupport.client;
