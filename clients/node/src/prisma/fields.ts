import { isRecord, type Args } from './extension.js';

/**
 * A write's arguments changed so that its result carries the given fields (the row's id and expiry, which the key
 * needs), and the fields to take out of the result again, so the caller gets exactly what it selected.
 */
export interface Selected {
  args: Args;
  added: string[];
}

export function selecting(args: Args, fields: readonly string[]): Selected {
  const added: string[] = [];
  if (isRecord(args.select)) {
    const select = { ...args.select };
    for (const field of fields) {
      if (!select[field]) {
        select[field] = true;
        added.push(field);
      }
    }
    return { args: { ...args, select }, added };
  }
  if (isRecord(args.omit)) {
    const omit = { ...args.omit };
    for (const field of fields) {
      if (omit[field]) {
        omit[field] = false;
        added.push(field);
      }
    }
    return { args: { ...args, omit }, added };
  }
  return { args, added };
}

/** The result without the fields `selecting` added; one row or a list of rows. */
export function unselected<T>(result: T, added: readonly string[]): T {
  if (added.length === 0) return result;
  const strip = (row: unknown): void => {
    if (isRecord(row)) for (const field of added) delete row[field];
  };
  if (Array.isArray(result)) result.forEach(strip);
  else strip(result);
  return result;
}
