/**
 * Small utilities any package may use; imports nothing of Lethe.
 */
package dev.lethe.support;
