// The maaschain explorer: a hash-routed single page over the node's REST API, its /api/v1/events stream and the
// audit API. Pages: chain (live head, recent blocks, charts), block, transaction, account, models, model (versions,
// hosts, usage, a call), receipt (verified in the page), consensus, peers.
import './style.css';
import { find, get } from './api';
import { barChart, lineChart } from './charts';
import { decodeVote, verifyEvidence, type Check } from './verify';
import { unhex } from './bytes';

/* eslint-disable @typescript-eslint/no-explicit-any */
const app = document.getElementById('app')!;
const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const short = (h: string) => (h && h.length > 20 ? `${h.slice(0, 10)}…${h.slice(-6)}` : h);
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const blockLink = (id: string | number, text?: string) => `<a href="#/block/${esc(id)}">${esc(text ?? String(id))}</a>`;
const txLink = (h: string) => `<a class="mono" href="#/tx/${esc(h)}">${esc(short(h))}</a>`;
const accountLink = (a: string) => (a ? `<a class="mono" href="#/account/${esc(a)}">${esc(short(a))}</a>` : '');
const modelLink = (n: string) => `<a href="#/model/${encodeURIComponent(n)}">${esc(n)}</a>`;

/** A definition list of fields; values are escaped unless given as [html]. */
function fields(rows: [string, unknown][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${Array.isArray(v) ? v[0] : esc(v)}</dd>`).join('')}</dl>`;
}

/** Any JSON value as tables and lists, for the engine descriptions whose fields differ by consensus kind. */
function render(v: any): string {
  if (v === null || v === undefined) return '<span class="muted">none</span>';
  if (Array.isArray(v)) {
    if (v.length === 0) return '<span class="muted">none</span>';
    if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const cols = [...new Set(v.flatMap((x) => Object.keys(x)))];
      return `<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${v
        .map((x) => `<tr>${cols.map((c) => `<td>${render(x[c])}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    }
    return v.map((x) => render(x)).join(', ');
  }
  if (typeof v === 'object') return fields(Object.entries(v).map(([k, x]) => [k, [render(x)]]));
  const s = String(v);
  if (/^mc[0-9a-f]{40}$/.test(s)) return accountLink(s);
  return `<span class="${/^[0-9a-f]{40,}$/.test(s) ? 'mono' : ''}">${esc(s.length > 80 ? short(s) : s)}</span>`;
}

// ---------------------------------------------------------------- live head (server-sent events)

let head: any = null;
const live = document.getElementById('live')!;
const headListeners: ((h: any) => void)[] = [];
function connectEvents() {
  const es = new EventSource('/api/v1/events');
  es.addEventListener('head', (ev) => {
    head = JSON.parse((ev as MessageEvent).data);
    live.textContent = `height ${head.height} · final ${head.finalizedHeight}`;
    live.className = 'live on';
    live.dataset.height = String(head.height);
    headListeners.forEach((f) => f(head));
  });
  es.onerror = () => {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  };
}

// ---------------------------------------------------------------- pages

async function home() {
  const status = await get('/api/v1/status');
  const range = await get('/api/v1/blocks?limit=100');
  const blocks: any[] = range.blocks;
  app.innerHTML = `<h1>Chain ${esc(status.chainId)} <small>${esc(status.consensus)}</small></h1>
<section class="cards">
  <div class="card"><h3>Head</h3><p class="big" id="head-height">${esc(status.height)}</p><p class="mono" id="head-hash">${esc(short(status.headHash))}</p></div>
  <div class="card"><h3>Final</h3><p class="big" id="final-height">${esc(status.finalizedHeight)}</p><p class="mono" id="final-hash">${esc(short(status.finalizedHash))}</p></div>
  <div class="card"><h3>Pending transactions</h3><p class="big">${esc(status.pendingTransactions)}</p></div>
  <div class="card"><h3>Peers</h3><p class="big">${esc(status.peerCount)}</p><p>${esc(status.sync?.state)}</p></div>
</section>
<section class="charts" id="charts">${chainCharts(blocks)}<div id="calls-chart"><p class="muted">loading calls per model…</p></div></section>
<h2>Latest blocks</h2><table id="blocks"><thead><tr><th>height</th><th>hash</th><th>time</th><th>txs</th><th>proposer</th></tr></thead><tbody>
${blockRows(blocks.slice(-20))}
</tbody></table>`;
  let refreshing = false;
  const onHead = (h: any) => {
    const el = document.getElementById('head-height');
    if (!el) return;
    if (!refreshing) {
      // The table follows the head too, one refresh at a time however fast blocks come.
      refreshing = true;
      get('/api/v1/blocks?limit=20').then((r) => {
        const body = document.querySelector('#blocks tbody');
        if (body) body.innerHTML = blockRows(r.blocks);
      }).finally(() => (refreshing = false));
    }
    el.textContent = h.height;
    document.getElementById('head-hash')!.textContent = short(h.hash);
    document.getElementById('final-height')!.textContent = h.finalizedHeight;
    document.getElementById('final-hash')!.textContent = short(h.finalizedHash);
  };
  headListeners.splice(0, headListeners.length, onHead);
  document.getElementById('calls-chart')!.innerHTML = await callsPerModel();
}

function blockRows(blocks: any[]): string {
  return blocks.slice().reverse().map((b) => `<tr><td>${blockLink(b.height)}</td><td class="mono">${blockLink(b.hash, short(b.hash))}</td><td>${time(b.timestamp)}</td><td>${b.txCount}</td><td>${accountLink(b.proposer)}</td></tr>`).join('');
}

function chainCharts(blocks: any[]): string {
  const times: [number, number][] = [];
  for (let i = 1; i < blocks.length; i++) times.push([blocks[i].height, (blocks[i].timestamp - blocks[i - 1].timestamp) / 1000]);
  const tps: [number, number][] = [];
  for (let i = 1; i < blocks.length; i++) {
    const dt = (blocks[i].timestamp - blocks[i - 1].timestamp) / 1000;
    tps.push([blocks[i].height, dt > 0 ? blocks[i].txCount / dt : 0]);
  }
  const h = (x: number) => `#${Math.round(x)}`;
  return lineChart('Block time', [{ label: 'seconds since parent', points: times }], 's', h)
    + lineChart('Throughput', [{ label: 'transactions per second', points: tps }], 'tx/s', h);
}

/** Calls per model over the last hour in 12 five-minute buckets, from the audit API (this node's receipts). */
async function callsPerModel(): Promise<string> {
  const now = Date.now();
  const step = 5 * 60_000;
  const starts = Array.from({ length: 12 }, (_, i) => now - (12 - i) * step);
  const reports = await Promise.all(starts.map((f) => get(`/api/v1/audit/usage?from=${f}&to=${f + step}`)));
  const byModel = new Map<string, [number, number][]>();
  reports.forEach((r, i) => {
    for (const m of Object.keys(r.byModel ?? {})) if (!byModel.has(m)) byModel.set(m, []);
    for (const [m, pts] of byModel) pts.push([starts[i] + step, r.byModel?.[m]?.calls ?? 0]);
  });
  const series = [...byModel].map(([label, points]) => ({ label, points }));
  return lineChart('Calls per model (this node, 5-minute buckets)', series, 'calls', (x) => new Date(x).toISOString().slice(11, 16));
}

async function block(id: string) {
  const b = await get(`/api/v1/blocks/${encodeURIComponent(id)}?full=true`);
  app.innerHTML = `<h1>Block ${esc(b.height)}</h1>${fields([
    ['hash', b.hash], ['parent', [blockLink(b.parentHash, b.parentHash)]], ['time', time(b.timestamp)],
    ['proposer', [accountLink(b.proposer)]], ['tx root', b.txRoot], ['state root', b.stateRoot], ['transactions', b.txCount],
    ['seal', [render(b.seal)]],
  ])}
<p>${b.height > 0 ? blockLink(b.height - 1, '← previous') : ''} ${blockLink(b.height + 1, 'next →')}</p>
<h2>Transactions</h2><table id="txs"><thead><tr><th>hash</th><th>kind</th><th>sender</th><th>nonce</th><th>fee</th></tr></thead><tbody>
${b.transactions.map((t: any) => `<tr><td>${txLink(t.hash)}</td><td>${esc(t.kind)}</td><td>${accountLink(t.sender)}</td><td>${t.nonce}</td><td>${t.fee}</td></tr>`).join('')}
</tbody></table>`;
}

async function tx(hash: string) {
  const t = await get(`/api/v1/txs/${encodeURIComponent(hash)}`);
  const x = t.transaction;
  const detail = { ...x };
  delete detail.encoded;
  app.innerHTML = `<h1>Transaction <span class="mono small">${esc(short(x.hash))}</span></h1>${fields([
    ['status', t.status], ['block', t.blockHash ? [blockLink(t.blockHash, `${t.blockHeight} (${short(t.blockHash)})`)] : 'pending'],
    ['index', t.index ?? ''], ['confirmations', t.confirmations ?? 0], ['kind', x.kind], ['sender', [accountLink(x.sender)]],
    ['nonce', x.nonce], ['fee', x.fee],
  ])}<h2>Body</h2>${render(detail)}`;
}

async function account(addr: string) {
  const a = await get(`/api/v1/accounts/${encodeURIComponent(addr)}`);
  app.innerHTML = `<h1>Account <span class="mono small">${esc(a.address)}</span></h1>${fields([
    ['balance', a.balance], ['nonce', a.nonce], ['next nonce', a.nextNonce], ['proven at block', [blockLink(a.proof.blockHeight)]],
  ])}<p class="muted">The balance comes with a sparse Merkle proof against the state root of block ${esc(a.proof.blockHeight)}.</p>`;
}

async function models() {
  const list = await get('/api/v1/models');
  const ms: any[] = list.models ?? list;
  app.innerHTML = `<h1>Models</h1><table id="models"><thead><tr><th>name</th><th>owner</th><th>latest</th><th>versions</th><th>price per call</th></tr></thead><tbody>
${ms.map((m) => `<tr><td>${modelLink(m.name)}</td><td>${accountLink(m.owner)}</td><td>${esc(m.latestVersion)}</td><td>${esc(Array.isArray(m.versions) ? m.versions.join(', ') : m.versions)}</td><td>${esc(m.latest?.pricePerCall ?? '')}</td></tr>`).join('')}
</tbody></table>`;
}

const EXAMPLE = '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}';

async function model(name: string) {
  const m = await get(`/api/v1/models/${encodeURIComponent(name)}`);
  const list = await get('/api/v1/models');
  const entry = (list.models ?? list).find((x: any) => x.name === name);
  // The list answers a version count (or, from newer nodes, the version names); the latest is always known.
  const versions: string[] = Array.isArray(entry?.versions) ? entry.versions : [m.version];
  const count = Array.isArray(entry?.versions) ? entry.versions.length : Number(entry?.versions ?? 1);
  const vs = await Promise.all(versions.map((v) => get(`/api/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(v)}`)));
  const oip = await find(`/v2/models/${encodeURIComponent(name)}`);
  const usage = await get(`/api/v1/audit/usage?model=${encodeURIComponent(name)}`);
  const hosts: any[] | undefined = m.hosts;
  app.innerHTML = `<h1>Model ${esc(name)}</h1>${fields([['owner', [accountLink(m.owner)]], ['latest version', m.version], ['format', m.format], ['license', m.license]])}
<h2>Versions <small>${count} registered${count > versions.length ? ', the latest shown' : ''}</small></h2><table id="versions"><thead><tr><th>version</th><th>artifact digest</th><th>size</th><th>price per call</th><th>registered at</th>${vs.some((v) => 'deprecated' in v) ? '<th>deprecated</th>' : ''}</tr></thead><tbody>
${vs.map((v) => `<tr><td>${esc(v.version)}</td><td class="mono">${esc(short(v.artifactDigest))}</td><td>${esc(v.artifactSize)}</td><td>${esc(v.pricePerCall)}</td><td>${blockLink(v.registeredAtHeight)}</td>${'deprecated' in v ? `<td>${esc(v.deprecated)}</td>` : ''}</tr>`).join('')}
</tbody></table>
<h2>Hosts and prices</h2>${hosts ? render(hosts) : `<p class="muted">This node's API does not list hosts.</p>`}
<p>This node: ${oip ? `serves <b>${esc(name)}</b> (${esc(oip.platform)}, versions ${esc((oip.versions ?? []).join(', '))})` : 'does not serve this model'}.</p>
<h2>Usage on this node</h2>${fields([['calls', usage.calls], ['succeeded', usage.succeeded], ['failed', usage.failed], ['denied', usage.denied], ['fees', usage.fees],
    ['error rate', usage.errorRate], ['latency p50 / p99 (ms)', `${usage.latencyP50Millis} / ${usage.latencyP99Millis}`]])}
${barChart('Calls by version', Object.entries(usage.byModel ?? {}).map(([k, v]: [string, any]) => [k, v.calls]), 'calls')}
<h2>Call it</h2>
<form id="call"><label>API key (<code>data/dev.apikey</code> on a dev node) <input id="apikey" type="password" autocomplete="off"></label>
<label>Request body (Open Inference Protocol v2)<textarea id="body" rows="4">${esc(EXAMPLE)}</textarea></label><button id="call-button">Call ${esc(name)}</button></form>
<div id="call-result"></div>`;
  document.getElementById('call')!.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = document.getElementById('call-result')!;
    const key = (document.getElementById('apikey') as HTMLInputElement).value.trim();
    const r = await fetch(`/v2/models/${encodeURIComponent(name)}/infer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: (document.getElementById('body') as HTMLTextAreaElement).value,
    });
    const id = r.headers.get('X-Maaschain-Receipt-Id');
    const text = await r.text();
    out.innerHTML = `<p>HTTP <b id="call-status">${r.status}</b>, fee ${esc(r.headers.get('X-Maaschain-Fee') ?? '0')}${id ? `, receipt <a id="receipt-link" class="mono" href="#/receipt/${esc(id)}">${esc(short(id))}</a>` : ''}</p><pre>${esc(text.slice(0, 2000))}</pre>`;
  });
}

async function receipt(id: string) {
  app.innerHTML = `<h1>Receipt</h1>
<form id="receipt-form"><label>Receipt id <input id="receipt-id" value="${esc(id)}" class="mono" size="66"></label><button>Fetch and verify</button></form>
<div id="receipt-status"></div>
<h2>Evidence</h2><p class="muted">Checked in this page: SHA-256 and Ed25519 run here, and the block header is checked against the hash this node has at that height. Edit the JSON to see a tampered receipt fail.</p>
<textarea id="evidence" rows="14" class="mono"></textarea><p><button id="verify-button">Verify this evidence</button></p>
<div id="checks"></div>`;
  document.getElementById('receipt-form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/receipt/${(document.getElementById('receipt-id') as HTMLInputElement).value.trim()}`;
  });
  const area = document.getElementById('evidence') as HTMLTextAreaElement;
  document.getElementById('verify-button')!.addEventListener('click', () => showChecks(area.value));
  if (!id) return;
  const token = route;
  // An unsettled receipt is settled within a few blocks; poll until it is, then verify.
  for (;;) {
    const e = await get(`/api/v1/receipts/${encodeURIComponent(id)}`);
    if (token !== route) return;
    document.getElementById('receipt-status')!.innerHTML = fields([['status', e.status], ['node', [accountLink(e.node)]], ['seq', e.seq],
      ['model', `${e.receipt?.model ?? ''} ${e.receipt?.version ?? ''}`], ['HTTP status', e.receipt?.status], ['fee', e.receipt?.fee]]);
    area.value = JSON.stringify(e, null, 2);
    await showChecks(area.value);
    if (e.status === 'settled') return;
    await new Promise((r) => setTimeout(r, 2000));
    if (token !== route) return;
  }
}

async function showChecks(json: string) {
  const out = document.getElementById('checks')!;
  let checks: Check[];
  try {
    checks = await verifyEvidence(JSON.parse(json), async (h) => find(`/api/v1/blocks/${h}`));
  } catch (err) {
    checks = [{ step: 'json', ok: false, detail: (err as Error).message }];
  }
  const ok = checks.every((c) => c.ok);
  out.innerHTML = `<p id="verdict" class="verdict ${ok ? 'ok' : 'fail'}">${ok ? 'Receipt verified' : 'Verification FAILED'}</p>
<table id="check-table"><thead><tr><th>check</th><th>result</th><th>detail</th></tr></thead><tbody>
${checks.map((c) => `<tr class="${c.ok ? 'ok' : 'fail'}"><td>${esc(c.step)}</td><td>${c.ok ? 'ok' : 'FAIL'}</td><td>${esc(c.detail)}</td></tr>`).join('')}</tbody></table>`;
}

async function consensus() {
  const [c, status] = await Promise.all([get('/api/v1/consensus'), get('/api/v1/status')]);
  const recent = c.kind === 'pow' ? null : await get('/api/v1/blocks?limit=10');
  app.innerHTML = `<h1>Consensus <small>${esc(c.kind)}</small></h1>${fields([['head', c.height], ['final', [blockLink(c.finalizedHeight)]]])}
<h2>Validators, producers and stake</h2><div id="engine">${render(c.engine)}</div>
${recent ? `<h2>Votes in the last blocks' seals</h2><p class="muted">Each vote is decoded and its Ed25519 signature checked in this page.</p>${votesTable(recent.blocks, BigInt(status.chainId))}` : ''}
<h2>This node</h2>${render(c.local)}`;
}

function votesTable(blocks: any[], chainId: bigint): string {
  const rows: string[] = [];
  for (const b of blocks.slice().reverse()) {
    if (b.seal?.kind !== 'validator') continue;
    const proposer = `proposer ${accountLink(b.proposer)}, slot/round ${esc(b.seal.slot)}`;
    if ((b.seal.votes ?? []).length === 0) rows.push(`<tr><td>${blockLink(b.height)}</td><td colspan="4" class="muted">no votes carried (${proposer})</td></tr>`);
    for (const v of b.seal.votes ?? []) {
      try {
        const d = decodeVote(unhex(v), chainId);
        rows.push(`<tr class="${d.signatureValid ? 'ok' : 'fail'}"><td>${blockLink(b.height)}</td><td>${d.signatureValid ? 'ok' : 'FAIL'}</td><td>${esc(d.typeName)}</td><td>${accountLink(d.validator)}</td><td>${esc(d.statement)}</td></tr>`);
      } catch (err) {
        rows.push(`<tr class="fail"><td>${blockLink(b.height)}</td><td>FAIL</td><td colspan="3">${esc((err as Error).message)}</td></tr>`);
      }
    }
  }
  return `<table id="votes"><thead><tr><th>block</th><th>signature</th><th>vote</th><th>validator</th><th>statement</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

async function peers() {
  const [p, s] = await Promise.all([get('/api/v1/peers'), get('/api/v1/status')]);
  app.innerHTML = `<h1>Peers</h1>${fields([['sync', [render(s.sync)]]])}<div id="peers">${render(p.peers)}</div>`;
}

/** Height, address, 64-hex (block, then transaction, then receipt), else a model name. */
async function search(q: string) {
  q = q.trim();
  if (!q) return;
  if (/^\d+$/.test(q)) return void (location.hash = `#/block/${q}`);
  if (/^mc[0-9a-f]{40}$/.test(q)) return void (location.hash = `#/account/${q}`);
  if (/^[0-9a-fA-F]{64}$/.test(q)) {
    const h = q.toLowerCase();
    if (await find(`/api/v1/blocks/${h}`)) return void (location.hash = `#/block/${h}`);
    if (await find(`/api/v1/txs/${h}`)) return void (location.hash = `#/tx/${h}`);
    if (await find(`/api/v1/receipts/${h}`)) return void (location.hash = `#/receipt/${h}`);
    app.innerHTML = `<p class="error">No block, transaction or receipt ${esc(h)} on this node.</p>`;
    return;
  }
  if (await find(`/api/v1/models/${encodeURIComponent(q)}`)) return void (location.hash = `#/model/${encodeURIComponent(q)}`);
  app.innerHTML = `<p class="error">Nothing named ${esc(q)}: try a block height or hash, a transaction hash, an address (mc…), a receipt id or a model name.</p>`;
}

// ---------------------------------------------------------------- router

let route = '';
async function navigate() {
  route = location.hash || '#/';
  const [, page = '', arg = ''] = route.split('/');
  const param = decodeURIComponent(arg);
  headListeners.length = 0;
  app.innerHTML = '<p class="muted">loading…</p>';
  try {
    switch (page) {
      case '': return await home();
      case 'block': return await block(param);
      case 'tx': return await tx(param);
      case 'account': return await account(param);
      case 'models': return await models();
      case 'model': return await model(param);
      case 'receipt': return await receipt(param);
      case 'consensus': return await consensus();
      case 'peers': return await peers();
      default: app.innerHTML = '<p class="error">No such page.</p>';
    }
  } catch (err) {
    app.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
  }
}

document.getElementById('search')!.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void search((document.getElementById('q') as HTMLInputElement).value);
});
window.addEventListener('hashchange', () => void navigate());
connectEvents();
void navigate();
