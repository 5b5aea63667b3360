/** An entry as XREADGROUP returns it: its id and its field list, or null when it was trimmed meanwhile. */
export type StreamEntry = [string, string[] | null];

/**
 * The entries of one stream in an XREADGROUP reply: null when the read timed out, `[[stream, entries]]` in RESP2,
 * `{ stream: entries }` (an object or a Map) from node-redis 5 speaking RESP3.
 */
export function entriesOf(reply: unknown, stream: string): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) {
    const found = reply.find((pair) => Array.isArray(pair) && String(pair[0]) === stream);
    return found === undefined ? [] : normalized(found[1]);
  }
  if (reply instanceof Map) return normalized(reply.get(stream));
  if (typeof reply === 'object') return normalized((reply as Record<string, unknown>)[stream]);
  throw new Error(`Lethe deletion stream read returned an unexpected reply (${typeof reply})`);
}

function normalized(entries: unknown): StreamEntry[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((entry) => {
    const [id, fields] = entry as [unknown, unknown];
    return [String(id), Array.isArray(fields) ? fields.map(String) : null];
  });
}
