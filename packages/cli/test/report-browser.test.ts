/**
 * The HTML reports in a real browser: Debian's Chromium, headless, driven by playwright-core.
 * An engine run (a supplier fails) → `gbfleet report --format html` → each page opened from disk:
 * every chart is an SVG with data marks and a size on screen, there is one chart per PNG written
 * beside the page, and the page logged no error and requested nothing. A full-page screenshot of
 * each report is saved (in the test's temp folder; also to $GBFLEET_SCREENSHOT if set).
 *
 * Chromium must be installed (`apt-get install chromium`; .ci/run does it): without it this
 * test fails and says so — it never skips.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const CHROMIUM = process.env.GBFLEET_CHROMIUM ?? '/usr/bin/chromium';
// The flags that keep Chromium quiet on a machine without outside network (TOOLCHAIN.md).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-browser-'));
const scenario = join(dir, 'browser.yaml');
writeFileSync(
  scenario,
  `name: browser check
seed: "5"
start: "2026-02-26T00:00:00Z"
days: 5
stepMinutes: 120
fleet:
  meters: 80
  paymentMode: { prepayment: 0.6, credit: 0.4 }
  prepayment: { initialCreditPounds: { min: 0, max: 6 }, emergencyCreditPounds: 2 }
  suppliers:
    - { name: Aurora Energy, share: 0.5, meterPoints: 900000 }
    - { name: Beacon Power, share: 0.3, meterPoints: 500000, creditCoverPence: 10000000 }
    - { name: Cobalt Supply, share: 0.2, meterPoints: 150000, creditCoverPence: 2000000 }
events:
  - { day: 1, hour: 6, type: supplier-fails, supplier: Cobalt Supply }
plugins:
  hostile: # a few hostile commands, so the attacks report has a chart to draw
    attacks:
      - { type: wrong-signer, day: 2, share: 1 }
      - { type: tampered-mac, day: 2, hour: 4, share: 1 }
`,
);

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

test('every chart of every HTML report renders in Chromium, with no console error', async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is not installed at ${CHROMIUM}: this test needs a real browser. Install Debian's package ` +
      '(apt-get install -y chromium; .ci/run does this) or set GBFLEET_CHROMIUM to a Chromium binary.',
  );
  const run = await cli(['run', scenario, '--out', join(dir, 'runs'), '--json']);
  assert.is(run.code, 0, run.err);
  const out = join(dir, 'reports');
  const report = await cli(['report', JSON.parse(run.out).database, '--format', 'html', '--out', out]);
  assert.is(report.code, 0, report.err);
  const pages = readdirSync(out).filter((f) => f.endsWith('.html'));
  assert.equal(pages.sort(), ['alerts.html', 'attacks.html', 'credit-cover.html', 'socialised-cost.html']);

  const profile = mkdtempSync(join(tmpdir(), 'gbfleet-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    for (const name of pages) {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(join(out, name)).href, { waitUntil: 'load' });
      const charts = await page.$$eval('figure.chart', (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            section: figure.getAttribute('data-section'),
            svg: svg !== null,
            marks: svg ? svg.querySelectorAll('g.role-mark > *').length : 0,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
          };
        }),
      );
      const pngs = readdirSync(join(out, name.replace(/\.html$/, ''))).filter((f) => f.endsWith('.png'));
      assert.is(charts.length, pngs.length, `${name}: one chart per PNG`);
      // The attacks report has one chart (who stopped each attack); the others three or more.
      assert.ok(charts.length >= (name === 'attacks.html' ? 1 : 3), `${name}: ${charts.length} charts`);
      for (const chart of charts) {
        assert.ok(chart.svg, `${name} ${chart.section}: an svg`);
        assert.ok(chart.marks > 0, `${name} ${chart.section}: data marks drawn`);
        assert.ok(chart.width > 100 && chart.height > 50, `${name} ${chart.section}: ${chart.width}×${chart.height}`);
      }
      const heading = await page.textContent('h1');
      assert.ok(heading && heading.length > 0);
      const shot = join(dir, `${name.replace(/\.html$/, '')}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'a screenshot with something in it');
      if (process.env.GBFLEET_SCREENSHOT && name === 'socialised-cost.html')
        copyFileSync(shot, process.env.GBFLEET_SCREENSHOT);
      assert.equal(problems, [], `${name}: no console errors, no failed or outside requests`);
      await page.close();
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
