-- A guard that takes 20 ms per row it looks at: a target whose every statement runs out of time.
CREATE FUNCTION slowly(allowed boolean) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT pg_sleep(0.02) IS NULL OR allowed';
