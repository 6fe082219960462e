#!/usr/bin/env node
// Render a dp report in headless Chromium and save each plot (and the whole page) as PNG, for the README.
//   node scripts/report-screenshot.mjs runs/compare-XXXX/report.html docs/images/compare
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, prefix] = process.argv.slice(2);
if (!html || !prefix) {
  console.error('usage: node scripts/report-screenshot.mjs <report.html> <output prefix>');
  process.exit(2);
}
mkdirSync(resolve(prefix, '..'), { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.DP_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1.5 });
await page.goto(pathToFileURL(resolve(html)).href);
for (const id of await page.$$eval('svg.plot', (s) => s.map((e) => e.id))) {
  await page.locator(`#${id}`).screenshot({ path: `${prefix}-${id}.png` });
  console.log(`${prefix}-${id}.png`);
}
await page.screenshot({ path: `${prefix}-page.png`, fullPage: true });
console.log(`${prefix}-page.png`);
await browser.close();
