/**
 * The sweep that makes deletion certain: scheduled runs per target, the look-ahead that deletes rows at their due
 * time, and the backlog gauges. Hands rows to {@code delete}; uses {@code catalog}, {@code coordination},
 * {@code store}, {@code sql}, {@code metrics}, {@code config} and {@code support}.
 */
package dev.lethe.sweep;
