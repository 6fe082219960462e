// `@dp/scores/node`: score files on disk (Node only: node:fs). The main entry stays free of Node built-ins so that it
// bundles for browsers.
export { readScoreFile, writeScoreFile } from './score-file-io.js';
