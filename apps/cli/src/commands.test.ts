import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyNames } from '@dp/policies';
import { scoreNames } from '@dp/scores';
import { closest, compareProtocolsText, methodNames } from '@dp/experiments';
import { describe, expect, it } from 'vitest';
import { commandHelp } from './command.js';
import { COMMANDS } from './commands/index.js';

const src = dirname(fileURLToPath(import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );

describe('the command table', () => {
  it('names each command once, with a usage line, a summary and examples of itself', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) {
      expect(commandHelp(c), c.name).toMatch(new RegExp(`^Usage: dp ${c.name}\\b[\\s\\S]*\\nExamples:\\n`));
      expect(c.summary.length, c.name).toBeGreaterThan(0);
      for (const e of c.examples) expect(e, c.name).toMatch(new RegExp(`^dp ${c.name}\\b`));
    }
  });

  it('suggests the command a near miss meant', () => {
    for (const c of COMMANDS)
      expect(
        closest(
          `${c.name.slice(0, -1)}x`,
          COMMANDS.map((x) => x.name),
        ),
      ).toBe(c.name);
    expect(
      closest(
        'zzzzzzzz',
        COMMANDS.map((x) => x.name),
      ),
    ).toBeUndefined();
  });

  it("dp compare's help lists the protocol of each dataset, and that other datasets have none", () => {
    const help = commandHelp(COMMANDS.find((c) => c.name === 'compare')!);
    expect(help).toContain(`\n${compareProtocolsText()}\n`);
    expect(help).toMatch(/^ {2}any other dataset: none/m);
  });

  it('has no command importing another command', () => {
    for (const file of sources(join(src, 'commands'))) {
      if (file.endsWith('index.ts')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from '\.\/(?!\.)/);
    }
  });

  it('names no policy, score or method in code outside help texts and examples (metadata decides)', () => {
    const names = [...new Set([...policyNames(), ...scoreNames(), ...methodNames()])];
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const n of names) expect(text, `${file} names '${n}'`).not.toMatch(new RegExp(`['"\`]${n}['"\`]`));
    }
  });

  it('names no policy or score in help texts and examples either: they come from registry metadata', () => {
    const names = [...new Set([...policyNames(), ...scoreNames(), ...methodNames()])];
    const word = (n: string) => n.replace(/[-]/g, '\\-');
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const n of names) {
        // As a flag's value (--policy NAME, --policies A,NAME, --method NAME) or as a word of the prose.
        const asValue = new RegExp(`--(policy|policies|method)[ =]([\\w-]+,)*${word(n)}(?![\\w-])`);
        expect(text, `${file} names '${n}' as a flag value`).not.toMatch(asValue);
      }
      for (const n of ['ucb', 'epsilon-greedy', 'infobatch', 'el2n', 'forgetting', 'grand'])
        expect(text.toLowerCase(), `${file} names '${n}'`).not.toMatch(new RegExp(`(?<![\\w-])${n}(?![\\w-])`));
    }
  });
});
