/**
 * Which instance acts on which target: ownership shared among the replicas, the pauses an operator sets, and the
 * gate that asks both. Uses {@code config}, {@code sql}, {@code store} and {@code support}.
 */
package dev.lethe.coordination;
