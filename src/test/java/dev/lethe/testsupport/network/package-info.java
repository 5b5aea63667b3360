/**
 * What lies between the service and its servers: a TCP proxy that misbehaves as networks do, and certificates for
 * TLS.
 */
package dev.lethe.testsupport.network;
