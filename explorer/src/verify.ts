// In-browser verification of a receipt's evidence (docs/receipts.md, "Verifying a receipt"), steps 1-7, with
// SHA-256 and Ed25519 running in the page. Nothing the node says is taken on trust: every hash is recomputed,
// every signature checked, and the block header is checked against the hash the chain has at that height.
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha512';
import { H, H2, Reader, address, concat, equal, hex, unhex, utf8, verifyInclusion } from './bytes';


const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

/**
 * Ed25519 exactly as docs/spec.md "Keys and signatures" defines it: A and R decoded strictly (y < p, not x = 0 with
 * the sign bit), A not of small order, S < L, k = SHA-512(R || A || M) over the bytes as received, and the cofactored
 * equation [8][S]B = [8]R + [8][k]A. The curve arithmetic is @noble/ed25519's; its own verify() is not used because it
 * re-encodes R, which fails for the neutral element (a valid R under the spec).
 */
export function verifySignature(signature: Uint8Array, message: Uint8Array, key: Uint8Array): boolean {
  if (signature.length !== 64 || key.length !== 32) return false;
  try {
    const A = ed.Point.fromHex(key, false);
    if (A.isSmallOrder()) return false;
    const rBytes = signature.slice(0, 32);
    const R = ed.Point.fromHex(rBytes, false);
    const s = littleEndian(signature.slice(32));
    if (s >= L) return false;
    const k = littleEndian(sha512(concat(rBytes, key, message))) % L;
    const SB = ed.Point.BASE.multiply(s, false);
    return R.add(A.multiply(k, false)).add(SB.negate()).clearCofactor().is0();
  } catch {
    return false; // an encoding that does not decode
  }
}

export interface Receipt {
  chainId: bigint;
  nodeKey: Uint8Array;
  nodeAddress: string;
  seq: bigint;
  timestamp: bigint;
  model: string;
  version: string;
  digest?: Uint8Array;
  caller?: string;
  requestHash?: Uint8Array;
  status: number;
  responseHash?: Uint8Array;
  errorCode?: string;
  fee: bigint;
  /** Format 2: what paid the call, the caller's channel authorisation or an API key's allowance. */
  paidBy?: { kind: 'authorisation'; authorised: bigint } | { kind: 'api key'; spendingKey: Uint8Array };
}

/** ReceiptCodec, strictly (docs/receipts.md, "Encoding"). */
export function decodeReceipt(b: Uint8Array): Receipt {
  if (b.length > 640) throw new Error('receipt encoding over 640 bytes');
  const r = new Reader(b);
  const format = r.u8('format version');
  if (format !== 1 && format !== 2) throw new Error('unknown receipt format version');
  const chainId = r.u63('chain id');
  const nodeKey = r.raw(32, 'node key');
  const nodeAddress = 'mc' + hex(r.raw(20, 'node address'));
  if (nodeAddress !== address(nodeKey)) throw new Error('node address is not the address of the node key');
  const seq = r.u63('seq');
  const timestamp = r.u63('timestamp');
  const model = r.string(128, 'model name');
  if (model.length === 0) throw new Error('empty model name');
  const version = r.string(32, 'model version');
  const hasDigest = r.bool('has digest');
  if (hasDigest !== (version.length > 0)) throw new Error('digest present iff version is not empty');
  const digest = hasDigest ? r.raw(32, 'artifact digest') : undefined;
  const caller = r.bool('has caller') ? 'mc' + hex(r.raw(20, 'caller')) : undefined;
  const requestHash = r.bool('has request hash') ? r.raw(32, 'request hash') : undefined;
  const status = r.u16('status');
  if (status < 100 || status > 599) throw new Error('status out of range');
  let responseHash: Uint8Array | undefined;
  let errorCode: string | undefined;
  if (status === 200) {
    responseHash = r.raw(32, 'response hash');
    if (!hasDigest || !requestHash) throw new Error('a 200 receipt needs a version and a request hash');
  } else {
    errorCode = r.string(32, 'error code');
    if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(errorCode)) throw new Error('malformed error code');
    r.raw(32, 'error message hash');
  }
  const fee = r.u63('fee');
  if (status !== 200 && fee !== 0n) throw new Error('a failed call has a fee');
  if (fee > 0n && !caller) throw new Error('a fee without a caller');
  let paidBy: Receipt['paidBy'];
  if (format === 2) {
    if (fee === 0n) throw new Error('a format 2 receipt without a fee');
    const tag = r.u8('paid-by tag');
    if (tag === 1) {
      const payerKey = r.raw(32, 'payer key');
      if (address(payerKey) !== caller) throw new Error("the authorisation's payer key is not the caller's");
      const authorised = r.u63('authorised');
      if (authorised <= 0n) throw new Error('an authorisation of nothing');
      r.raw(32, 'request digest');
      r.raw(64, 'authorisation signature');
      paidBy = { kind: 'authorisation', authorised };
    } else if (tag === 2) {
      paidBy = { kind: 'api key', spendingKey: r.raw(32, 'spending key') };
    } else {
      throw new Error(`unknown paid-by tag ${tag}`);
    }
  }
  r.done('the receipt');
  return { chainId, nodeKey, nodeAddress, seq, timestamp, model, version, digest, caller, requestHash, status, responseHash, errorCode, fee, paidBy };
}

interface Charge {
  caller: string;
  name: string;
  version: string;
  calls: bigint;
}

interface BatchTx {
  chainId: bigint;
  senderKey: Uint8Array;
  body: Uint8Array;
  signature: Uint8Array;
  firstSeq: bigint;
  lastSeq: bigint;
  receiptsRoot: Uint8Array;
  charges: Charge[];
}

const RECEIPT_BATCH = 12;

/** A transaction whose payload must be a ReceiptBatch (docs/spec.md, "Transaction" and kind 12). */
export function decodeBatchTx(b: Uint8Array): BatchTx {
  if (b.length > 4096) throw new Error('transaction over 4096 bytes');
  const r = new Reader(b);
  if (r.u8('format version') !== 1) throw new Error('unknown transaction format version');
  const chainId = r.u63('chain id');
  const kind = r.u8('payload kind');
  if (kind !== RECEIPT_BATCH) throw new Error(`payload kind ${kind} is not a ReceiptBatch (12)`);
  const senderKey = r.raw(32, 'sender key');
  r.u63('nonce');
  r.u63('fee');
  const firstSeq = r.u63('firstSeq');
  const lastSeq = r.u63('lastSeq');
  if (lastSeq < firstSeq || lastSeq - firstSeq + 1n > 1_000_000n) throw new Error('bad receipt range');
  const receiptsRoot = r.raw(32, 'receiptsRoot');
  const n = r.u16('charge count');
  if (n > 1024) throw new Error('too many charges');
  const charges: Charge[] = [];
  for (let i = 0; i < n; i++) {
    const caller = 'mc' + hex(r.raw(20, 'charge caller'));
    const name = r.string(128, 'charge model name');
    const version = r.string(32, 'charge model version');
    const calls = r.u63('charge calls');
    if (calls <= 0n) throw new Error('a charge of zero calls');
    if (r.bool('has spending key')) r.raw(32, 'spending key');
    charges.push({ caller, name, version, calls });
  }
  const authorisations = r.u16('authorisation count');
  if (authorisations > 1024) throw new Error('too many authorisations');
  for (let i = 0; i < authorisations; i++) r.raw(136, 'payment authorisation');
  const bodyLength = r.offset;
  const signature = r.raw(64, 'signature');
  r.done('the transaction');
  return { chainId, senderKey, body: b.slice(0, bodyLength), signature, firstSeq, lastSeq, receiptsRoot, charges };
}

export interface Header {
  height: bigint;
  txRoot: Uint8Array;
  txCount: number;
}

/** The fields of a header the proofs need (docs/spec.md, "Block header"); the hash covers all its bytes. */
export function decodeHeader(b: Uint8Array): Header {
  if (b.length > 49152) throw new Error('header over 49,152 bytes');
  const r = new Reader(b);
  if (r.u8('format version') !== 1) throw new Error('unknown header format version');
  const height = r.u63('height');
  r.raw(32, 'parent hash');
  r.u63('timestamp');
  const txRoot = r.raw(32, 'tx root');
  r.raw(32, 'state root');
  r.raw(20, 'proposer');
  const txCount = r.u32('tx count');
  const seal = r.u8('seal kind');
  if (seal !== 1 && seal !== 2) throw new Error(`unknown seal kind ${seal}`);
  if (seal === 1 && b.length !== 150) throw new Error('a proof-of-work header is 150 bytes');
  return { height, txRoot, txCount };
}

export interface Check {
  step: string;
  ok: boolean;
  detail: string;
}

/** What the page fetches from the node for step 7: the canonical block at a height (null if none). */
export type CanonicalBlock = (height: bigint) => Promise<{ hash: string; encoded: string } | null>;

const RECEIPT_TAG = concat(utf8('maaschain/receipt/v1'), Uint8Array.of(0));
const TX_TAG = concat(utf8('maaschain/tx/v1'), Uint8Array.of(0));

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Runs every step; each failure is reported with its reason, and later steps still run where they can. */
export async function verifyEvidence(e: any, canonical: CanonicalBlock): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (step: string, f: () => string) => {
    try {
      checks.push({ step, ok: true, detail: f() });
      return true;
    } catch (err) {
      checks.push({ step, ok: false, detail: (err as Error).message });
      return false;
    }
  };
  const need = (cond: boolean, msg: string) => {
    if (!cond) throw new Error(msg);
  };
  let receipt: Receipt | undefined;
  let encoded: Uint8Array = new Uint8Array();
  let id: Uint8Array = new Uint8Array();
  check('receipt', () => {
    encoded = unhex(e.encoded, 'encoded');
    receipt = decodeReceipt(encoded);
    id = H(encoded);
    if (e.id !== undefined) need(hex(id) === e.id, `H(encoded) = ${hex(id)} is not the id ${e.id}`);
    return `seq ${receipt.seq}, ${receipt.model}${receipt.version ? '/' + receipt.version : ''}, status ${receipt.status}, fee ${receipt.fee}; id = H(encoded)`;
  });
  check('signature', () => {
    need(receipt !== undefined, 'no receipt to check');
    const ok = verifySignature(unhex(e.signature, 'signature'), concat(RECEIPT_TAG, encoded), receipt!.nodeKey);
    need(ok, 'Ed25519 signature does not verify under the node key in the receipt');
    return `Ed25519 by node ${receipt!.nodeAddress}`;
  });
  const batch = e.batch;
  const batchOk = check('batch', () => {
    need(receipt !== undefined, 'no receipt to check');
    need(batch != null, 'not in a batch yet (status ' + e.status + ')');
    const seq = receipt!.seq;
    const first = BigInt(batch.firstSeq);
    const last = BigInt(batch.lastSeq);
    need(first <= seq && seq <= last, `seq ${seq} is not in ${first}..${last}`);
    need(BigInt(batch.proof.leafIndex) === seq - first, 'leafIndex is not seq - firstSeq');
    need(BigInt(batch.proof.treeSize) === last - first + 1n, 'treeSize is not the batch size');
    const path = (batch.proof.path as string[]).map((p) => unhex(p, 'path'));
    need(verifyInclusion(id, Number(seq - first), Number(last - first + 1n), path, unhex(batch.receiptsRoot, 'receiptsRoot')),
      'the Merkle path does not lead from the receipt id to receiptsRoot');
    return `leaf ${seq - first} of ${last - first + 1n} under root ${batch.receiptsRoot.slice(0, 16)}…`;
  });
  const s = e.settlement;
  let txHash: Uint8Array = new Uint8Array();
  check('transaction', () => {
    need(batchOk && s != null, 'no settlement transaction (status ' + e.status + ')');
    const txBytes = unhex(s.tx, 'tx');
    const tx = decodeBatchTx(txBytes);
    txHash = H(txBytes);
    need(hex(txHash) === batch.txHash, 'H(tx) is not batch.txHash');
    need(verifySignature(tx.signature, concat(TX_TAG, tx.body), tx.senderKey), 'the transaction signature does not verify');
    need(address(tx.senderKey) === receipt!.nodeAddress, 'the batch was not sent by the receipt\'s node');
    need(tx.chainId === receipt!.chainId, 'the batch is for another chain');
    need(tx.firstSeq === BigInt(batch.firstSeq) && tx.lastSeq === BigInt(batch.lastSeq) && equal(tx.receiptsRoot, unhex(batch.receiptsRoot)),
      'the transaction does not carry this batch\'s range and root');
    if (receipt!.status === 200 && receipt!.caller) {
      need(tx.charges.some((c) => c.caller === receipt!.caller && c.name === receipt!.model && c.version === receipt!.version),
        'no charge for this caller, model and version');
    }
    return `ReceiptBatch ${tx.firstSeq}..${tx.lastSeq} signed by the node, ${tx.charges.length} charge(s)`;
  });
  let header: Header | undefined;
  check('header', () => {
    need(s != null, 'not settled');
    const hb = unhex(s.header, 'header');
    header = decodeHeader(hb);
    need(hex(H2(hb)) === s.blockHash, 'H2(header) is not blockHash');
    need(header.height === BigInt(s.blockHeight), 'the header\'s height is not blockHeight');
    return `H2(header) = ${s.blockHash.slice(0, 16)}… at height ${header.height}`;
  });
  check('inclusion', () => {
    need(header !== undefined && txHash.length === 32, 'no header or transaction to check');
    need(s.txProof.leafIndex === s.txIndex, 'txProof.leafIndex is not txIndex');
    need(s.txProof.treeSize === header!.txCount, 'txProof.treeSize is not the header\'s tx count');
    const path = (s.txProof.path as string[]).map((p) => unhex(p, 'txProof path'));
    need(verifyInclusion(txHash, s.txIndex, header!.txCount, path, header!.txRoot), 'the path does not lead to the header\'s tx root');
    return `transaction ${s.txIndex} of ${header!.txCount} under the header's tx root`;
  });
  const settled = checks.every((c) => c.ok);
  checks.push(await chainCheck(settled, s, canonical));
  return checks;
}

async function chainCheck(settled: boolean, s: any, canonical: CanonicalBlock): Promise<Check> {
  const step = 'chain';
  if (!settled) return { step, ok: false, detail: 'not checked: an earlier step failed' };
  try {
    const b = await canonical(BigInt(s.blockHeight));
    if (!b) return { step, ok: false, detail: `the node has no canonical block at height ${s.blockHeight}` };
    // The header the node shows at that height is checked here too: its bytes must hash to the hash it claims.
    if (hex(H2(unhex(b.encoded))) !== b.hash) return { step, ok: false, detail: 'the node\'s canonical header does not hash to its hash' };
    if (b.hash !== s.blockHash) return { step, ok: false, detail: `the canonical block at ${s.blockHeight} is ${b.hash}, not ${s.blockHash}` };
    return { step, ok: true, detail: `block ${s.blockHeight} is canonical on this node` };
  } catch (err) {
    return { step, ok: false, detail: (err as Error).message };
  }
}

export interface Vote {
  type: number;
  typeName: string;
  statement: string;
  validatorKey: Uint8Array;
  validator: string;
  signatureValid: boolean;
}

const VOTE_TAG = utf8('maaschain/vote/v1');
const VOTE_TYPES: Record<number, string> = { 1: 'checkpoint', 2: 'prevote', 3: 'precommit', 4: 'proposal' };

/**
 * A vote encoding (docs/consensus.md, "Votes"): u8 type || body || validator key || signature, with the signature
 * checked here over "maaschain/vote/v1" || u64 chainId || u8 type || body.
 */
export function decodeVote(b: Uint8Array, chainId: bigint): Vote {
  const r = new Reader(b);
  const type = r.u8('vote type');
  let statement: string;
  if (type === 1) {
    const se = r.u63('source epoch');
    const sh = hex(r.raw(32, 'source hash'));
    const te = r.u63('target epoch');
    const th = hex(r.raw(32, 'target hash'));
    if (te <= se) throw new Error('target epoch not after source epoch');
    statement = `epoch ${se} (${sh.slice(0, 10)}…) → epoch ${te} (${th.slice(0, 10)}…)`;
  } else if (type === 2 || type === 3) {
    const height = r.u63('height');
    const round = r.u32('round');
    const block = hex(r.raw(32, 'block hash'));
    statement = `height ${height} round ${round} for ${/^0+$/.test(block) ? 'nil' : block.slice(0, 10) + '…'}`;
  } else if (type === 4) {
    const height = r.u63('height');
    const slot = r.u63('slot');
    statement = `height ${height} slot ${slot} digest ${hex(r.raw(32, 'digest')).slice(0, 10)}…`;
  } else {
    throw new Error(`unknown vote type ${type}`);
  }
  const bodyEnd = r.offset;
  const validatorKey = r.raw(32, 'validator key');
  const signature = r.raw(64, 'signature');
  r.done('the vote');
  const chain = new Uint8Array(8);
  new DataView(chain.buffer).setBigUint64(0, chainId);
  const message = concat(VOTE_TAG, chain, b.slice(0, bodyEnd));
  return { type, typeName: VOTE_TYPES[type], statement, validatorKey, validator: address(validatorKey),
    signatureValid: verifySignature(signature, message, validatorKey) };
}
