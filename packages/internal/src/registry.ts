/**
 * The one rule of every dp registry (policies, scores, datasets, models): an entry is registered under its name;
 * registering the very same object again is a no-op (a module imported twice registers twice), a different object
 * under a taken name is refused (silently replacing a built-in would change what a name means in the middle of a
 * program), and `unregister` frees a name on purpose.
 */
import { invalidProblem, show } from './error.js';

/** A refused registration, for the package's own error (PrunerError, ScoreError, DataError, ModelError). */
export interface Refusal {
  problem: string;
  fix: string;
  field: string;
  value: unknown;
  allowed: string;
}

export type RefuseEntry = (refusal: Refusal) => Error;

export class Registry<T extends { readonly name: string }> {
  private readonly entries = new Map<string, T>();

  /**
   * @param kind what the entries are, for messages ('policy', 'score', 'dataset', 'model')
   * @param unregisterCall the package's unregister function, named in the fix (e.g. 'unregisterPolicy')
   */
  constructor(
    private readonly kind: string,
    private readonly unregisterCall: string,
    private readonly refuse: RefuseEntry,
  ) {}

  /** Register `entry` under `entry.name`: a no-op for the same object, refused for a different one under a taken name. */
  register(entry: T): T {
    const existing = this.entries.get(entry.name);
    if (existing === entry) return entry;
    if (existing !== undefined) {
      const field = `${this.kind}.name`;
      const allowed = `a name no other ${this.kind} is registered under (a different ${this.kind} named ${show(entry.name)} is)`;
      const fix = `give the new ${this.kind} a name of its own, or ${this.unregisterCall}(${show(entry.name)}) first to replace it`;
      throw this.refuse({
        problem: invalidProblem(field, entry.name, allowed),
        fix,
        field,
        value: entry.name,
        allowed,
      });
    }
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** Remove the entry registered as `name`; whether there was one. */
  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  get(name: unknown): T | undefined {
    return typeof name === 'string' ? this.entries.get(name) : undefined;
  }

  /** Names in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Entries in registration order. */
  values(): T[] {
    return [...this.entries.values()];
  }
}
