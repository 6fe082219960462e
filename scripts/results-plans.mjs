// Plans the dp bench calls recorded by scripts/results-plans.sh in this one process: each line of CALLS is a call's
// words separated by NUL (or `===` and a header to print). MAIN is the built CLI whose `main(argv)` plans them.
//   node scripts/results-plans.mjs CALLS MAIN
// After each call's plan come the folders of its runs to do (`run dir <name>`: the name ends with a hash of the run's
// whole config), so a changed default shows for runs not yet made too, not only as a done run turning to do. They are
// the folders whose checkpoint the plan looks for (its time estimate), seen through node:fs's existsSync.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const [calls, mainPath] = process.argv.slice(2);
let looked = new Set();
const existsSync = fs.existsSync;
fs.existsSync = (path) => {
  if (typeof path === 'string' && basename(path) === 'checkpoint') looked.add(basename(dirname(path)));
  return existsSync(path);
};
syncBuiltinESMExports();
const { main } = await import(pathToFileURL(mainPath).href);
for (const line of fs.readFileSync(calls, 'utf8').split('\n')) {
  if (line === '') continue;
  const words = line.split('\0').slice(0, -1);
  if (words[0] === '===') {
    process.stdout.write(`=== ${words[1]}\n`);
    continue;
  }
  looked = new Set();
  const code = await main(words);
  for (const name of [...looked].sort()) process.stdout.write(`  run dir ${name}\n`);
  if (code !== 0) process.stdout.write(`(dp ${words.join(' ')}: exit ${code})\n`);
}
