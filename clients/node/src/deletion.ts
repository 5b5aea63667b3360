/** One entry of Lethe's deletion stream (`lethe.events.stream`): a row Lethe deleted. */
export interface Deletion {
  /** The stream entry's id (`1767225600000-0`), the one acknowledged. */
  readonly entryId: string;
  /** The target's name, the `<target>` of `lethe.targets.<target>.table`. */
  readonly target: string;
  /** The deleted row's id, as text. */
  readonly id: string;
  /** `event`: its Redis key expired; `sweep`: the sweep or the look-ahead deleted it. Later Lethes may add others. */
  readonly source: 'event' | 'sweep' | (string & {});
  /** When PostgreSQL committed the deletion, on the database's clock. */
  readonly deletedAt: Date;
}

/** Reads an entry's field list (`target m id 42 ...`); throws naming the entry when Lethe's fields are not there. */
export function parseDeletion(entryId: string, fields: readonly string[]): Deletion {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    values.set(String(fields[i]), String(fields[i + 1]));
  }
  const field = (name: string): string => {
    const value = values.get(name);
    if (value === undefined || value === '') {
      throw new Error(`Lethe deletion entry ${entryId} has no "${name}" field`);
    }
    return value;
  };
  const deletedAt = new Date(field('deletedAt'));
  if (Number.isNaN(deletedAt.getTime())) {
    throw new Error(`Lethe deletion entry ${entryId} has a deletedAt that is not an ISO-8601 instant`);
  }
  return { entryId, target: field('target'), id: field('id'), source: field('source'), deletedAt };
}
