import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyNames } from '@dp/policies';
import { scoreNames } from '@dp/scores';
import { describe, expect, it } from 'vitest';
import { methodNames } from '../config/methods.js';

describe('report code', () => {
  it('names no policy, score or method: it reads their metadata (roles, what they consume, their defaults)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const names = [...new Set([...policyNames(), ...scoreNames(), ...methodNames()])];
    for (const f of readdirSync(here).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts'))) {
      const text = readFileSync(join(here, f), 'utf8');
      for (const n of names) expect(text, `${f} names '${n}'`).not.toMatch(new RegExp(`['"\`]${n}['"\`]`));
    }
  });
});
