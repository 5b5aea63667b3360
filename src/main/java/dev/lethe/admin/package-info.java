/**
 * The admin API: API keys, cleanup stats, sweeps on demand, pause and resume. A leaf: nothing else imports it; it may
 * use every package below it.
 */
package dev.lethe.admin;
