/**
 * Every setting of Lethe: the {@code lethe.*} mapping. Uses nothing of Lethe but the value types of {@code sql}.
 */
package dev.lethe.config;
