import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry, type Refusal } from './registry.js';

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.problem}; fix: ${refusal.fix}`);
  }
}

const make = () => new Registry<{ name: string }>('widget', 'unregisterWidget', (r) => new Refused(r));

describe('Registry', () => {
  it('registers by name in order; the same object again is a no-op', () => {
    const r = make();
    const a = { name: 'a' };
    const b = { name: 'b' };
    expect(r.register(a)).toBe(a);
    r.register(b);
    r.register(a);
    expect(r.names()).toEqual(['a', 'b']);
    expect(r.values()).toEqual([a, b]);
    expect(r.get('a')).toBe(a);
    expect(r.get(7)).toBeUndefined();
  });

  it('refuses a different object under a taken name, naming field, value and the fix, and keeps the first', () => {
    const r = make();
    const a = { name: 'a' };
    r.register(a);
    let refused: Refused | undefined;
    try {
      r.register({ name: 'a' });
    } catch (e) {
      refused = e as Refused;
    }
    expect(refused?.refusal).toMatchObject({ field: 'widget.name', value: 'a' });
    expect(refused?.message).toBe(
      'widget.name = "a" is invalid: expected a name no other widget is registered under (a different widget named "a" is); fix: give the new widget a name of its own, or unregisterWidget("a") first to replace it',
    );
    expect(r.get('a')).toBe(a);
  });

  it('unregister frees a name for another object', () => {
    const r = make();
    r.register({ name: 'a' });
    expect(r.unregister('a')).toBe(true);
    expect(r.unregister('a')).toBe(false);
    const other = { name: 'a' };
    expect(r.register(other)).toBe(other);
  });

  it('property: after any sequence of registrations, each name maps to the first object registered under it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.boolean())), (ops) => {
        const r = make();
        const first = new Map<string, { name: string }>();
        for (const [name, reuse] of ops) {
          const entry = reuse && first.has(name) ? first.get(name)! : { name };
          try {
            r.register(entry);
            if (!first.has(name)) first.set(name, entry);
            else expect(first.get(name)).toBe(entry);
          } catch (e) {
            expect(e).toBeInstanceOf(Refused);
            expect(first.get(name)).not.toBe(entry);
          }
        }
        for (const [name, entry] of first) expect(r.get(name)).toBe(entry);
      }),
    );
  });
});
