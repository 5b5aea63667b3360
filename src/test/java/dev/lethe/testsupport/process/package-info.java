/**
 * Servers a test starts on this machine and may stop, kill or freeze: each a {@link LocalProcess} (or built from its
 * parts), on a spare loopback port, with a folder and a log of its own.
 */
package dev.lethe.testsupport.process;
