// Browser test of the explorer on a running dev node, in Debian's Chromium driven by playwright-core (which never
// downloads a browser). Run by io.maaschain.it.ExplorerBrowserIT:
//   node tests/browser.mjs <node url> <api key> <screenshot dir>      the user journey on a pow dev node
//   node tests/browser.mjs <node url> --consensus <screenshot dir>    validators and seal votes on a pos/dpos/bft node
// Exits 0 when every step passed; otherwise prints the failing step and exits 1.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, apiKey, shots] = process.argv.slice(2);
if (!base || !apiKey || !shots) {
  console.error('usage: node tests/browser.mjs <node url> <api key> <screenshot dir>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'explorer-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] ?? (await context.newPage());
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
let step = 'start';
const ok = (what) => console.log(`PASS ${what}`);
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

async function consensusPage() {
  step = 'validators and votes, checked in the page';
  await page.goto(base + '/explorer/#/consensus');
  await page.waitForSelector('#engine table tbody tr');
  await page.waitForSelector('#votes tbody tr.ok');
  const failed = await page.locator('#votes tbody tr.fail').count();
  if (failed) throw new Error(`${failed} vote(s) failed their signature check`);
  ok(step);
  await shot('consensus');
}

try {
  if (apiKey === '--consensus') {
    await consensusPage();
    if (errors.length) throw new Error('errors in the page: ' + errors.join('; '));
    console.log('ALL PASSED');
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(0);
  }
  step = 'open the explorer at / and see the live head';
  await page.goto(base + '/');
  await page.waitForSelector('#live.on', { timeout: 30_000 });
  await page.waitForSelector('#blocks tbody tr');
  const first = Number(await page.getAttribute('#live', 'data-height'));
  await page.waitForFunction((h) => Number(document.getElementById('live').dataset.height) > h, first, { timeout: 30_000 });
  await page.waitForSelector('#charts svg');
  ok(step);
  await shot('01-chain');

  step = 'find the dev model by name';
  await page.fill('#q', 'iris');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#versions tbody tr');
  if (!(await page.textContent('#versions')).includes('1.0.0')) throw new Error('version 1.0.0 is not listed');
  ok(step);

  step = 'follow a block to a transaction';
  // The block that registered the model, from the versions table, then its first transaction.
  await page.locator('#versions tbody tr a[href^="#/block/"]').first().click();
  await page.waitForSelector('#txs tbody tr');
  await shot('02-block');
  await page.locator('#txs tbody tr a.mono').first().click();
  await page.waitForSelector('h1:has-text("Transaction")');
  const txText = await page.textContent('main');
  if (!txText.includes('committed') || !txText.includes('register_model')) throw new Error('the transaction page does not show the committed registration');
  ok(step);
  await shot('03-transaction');

  await page.fill('#q', 'iris');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#call-button');

  step = 'call the model from the page';
  await page.fill('#apikey', apiKey);
  await page.click('#call-button');
  await page.waitForSelector('#call-status');
  const status = await page.textContent('#call-status');
  if (status !== '200') throw new Error(`the call answered ${status}: ${await page.textContent('#call-result')}`);
  ok(step);
  await shot('04-model-call');

  step = 'open the receipt and see the in-browser proof check pass';
  await page.click('#receipt-link');
  await page.waitForSelector('#verdict:has-text("Receipt verified")', { timeout: 90_000 });
  const rows = await page.locator('#check-table tbody tr.ok').count();
  if (rows !== 7) throw new Error(`expected 7 passing checks, got ${rows}`);
  ok(step);
  await shot('05-receipt-verified');

  step = 'a tampered receipt shows as failed';
  const evidence = JSON.parse(await page.inputValue('#evidence'));
  const sig = evidence.signature;
  evidence.signature = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
  await page.fill('#evidence', JSON.stringify(evidence, null, 2));
  await page.click('#verify-button');
  await page.waitForSelector('#verdict:has-text("Verification FAILED")');
  if (!(await page.textContent('#check-table tr.fail')).includes('signature')) throw new Error('the signature check did not fail');
  // A receipt moved to another block: the header no longer hashes to the block hash it claims.
  const moved = JSON.parse(JSON.stringify(evidence));
  moved.signature = sig;
  moved.settlement.blockHash = 'ff' + moved.settlement.blockHash.slice(2);
  await page.fill('#evidence', JSON.stringify(moved, null, 2));
  await page.click('#verify-button');
  await page.waitForSelector('#verdict:has-text("Verification FAILED")');
  if (!(await page.textContent('#check-table tr.fail')).includes('header')) throw new Error('the header check did not fail');
  ok(step);
  await shot('06-receipt-tampered');

  step = 'search by height, block hash, address and receipt id';
  const receiptId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  const search = async (q) => {
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
  };
  await search('1');
  await page.waitForSelector('h1:text-is("Block 1")');
  const blockHash = (await page.locator('dl dd').first().textContent()).trim();
  const dev = (await page.locator('dl dd a[href^="#/account/"]').first().getAttribute('href')).split('/')[2];
  await page.goto(base + '/explorer/#/peers');
  await page.waitForSelector('#peers');
  await search(blockHash);
  await page.waitForFunction((h) => location.hash === `#/block/${h}`, blockHash);
  await page.waitForSelector('h1:text-is("Block 1")');
  await search(dev);
  await page.waitForSelector(`h1:has-text("Account")`);
  if (!(await page.textContent('h1')).includes(dev)) throw new Error('the account page is not the one searched for');
  await search(receiptId);
  await page.waitForFunction((id) => location.hash === `#/receipt/${id}`, receiptId);
  ok(step);

  step = 'consensus and peers pages';
  await page.click('a[href="#/consensus"]');
  await page.waitForSelector('#engine');
  await page.click('a[href="#/peers"]');
  await page.waitForSelector('#peers');
  ok(step);

  if (errors.length) throw new Error('errors in the page: ' + errors.join('; '));
  console.log('ALL PASSED');
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  console.log(`FAIL ${step}: ${e.message}`);
  await shot('failure').catch(() => {});
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
