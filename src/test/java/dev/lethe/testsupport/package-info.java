/**
 * Test profiles and the Quarkus test resources they start: a database of each test class's own, and a Redis, Redis
 * Cluster or S3 server the test may take away. The servers themselves are in {@code process}, the clients in
 * {@code client}, the rows in {@code fixture}, network faults in {@code network}.
 */
package dev.lethe.testsupport;
