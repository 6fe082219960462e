import type { Command } from '../command.js';
import { bench } from './bench.js';
import { compare } from './compare.js';
import { doctor } from './doctor.js';
import { launch } from './launch.js';
import { probeCostCommand } from './probe-cost.js';
import { report } from './report.js';
import { score } from './score.js';
import { setupBackend } from './setup-backend.js';
import { train } from './train.js';

/** Every `dp` command, in the order `dp help` lists them. A new command is one file and one entry here. */
export const COMMANDS: readonly Command[] = [
  compare,
  train,
  launch,
  bench,
  score,
  report,
  probeCostCommand,
  doctor,
  setupBackend,
];
