// Unit tests of the page's verifier (src/verify.ts, src/bytes.ts) on the vectors of the docs: the Ed25519 edge cases
// of SpecConformanceTest.SIGNATURE_VECTORS (docs/spec.md, "Keys and signatures"), and the worked example of
// docs/receipts.md (encoding, id, signature, batch proof). Run with `npm test` (the Maven build runs it).
import { build } from 'esbuild';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const bundle = await build({ entryPoints: ['src/testing.ts'], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
const v = await import('data:text/javascript;base64,' + Buffer.from(bundle.outputFiles[0].text).toString('base64'));
const { unhex, hex, H, utf8, concat, verifyInclusion, verifySignature, decodeReceipt } = v;

const SIGNATURE_VECTORS = [
  ['honest signature', 'd27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c',
    'a10b71e80f81c48cb25db4575a0555e55074851d7d279cfcf33bc49ff5858a9ea22acd036843a6babd608026028594d04653d3634a14b1772735c35f68b1bf00', true],
  ['S + L instead of S', 'd27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c',
    'a10b71e80f81c48cb25db4575a0555e55074851d7d279cfcf33bc49ff5858a9e8ffec26082a6b81294fd77c9e07e73e54653d3634a14b1772735c35f68b1bf10', false],
  ['mixed-order R', 'd27e5ea494a82b13b6c68b6be2a7f50711663d854cd20e9b62218c353c25136c',
    '5be6ee1c96aaac1473ab6438be2197d985824533a795f1d46591c768e649639ddcd4f57d771d6374d118c2e64f1bf8faaa693088cf19c51dd1a0ce4de80fcf01', true],
  ['mixed-order public key', '74cf0a1a236e33432cbc801bb40cc939433b04587064c5c69595d2732cb27f89',
    '1364bb95fb08240f30ef8348ad14c15979f5f4c3c5454cb14a87072a4d566e84483bae13c8e30afe30a026eaa99d1c985b11ffd042527f43da58a3250bb12203', true],
  ['small-order public key', '0100000000000000000000000000000000000000000000000000000000000000',
    '01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', false],
  ['R neutral, canonical', '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
    '0100000000000000000000000000000000000000000000000000000000000000f9a1c32e1038204833ec13813c56a9583e0b7786a255409eec644d48637a6f0e', true],
  ['R neutral encoded with y = p + 1', '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fc8a31f1b038a52c875123898a3ecaeb33ab174bb5327c0f9a435b39367d32d09', false],
  ['R = (0, -1) with the sign bit set', '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd7e4bf87c83fc173a228263435853f1683947612111ec00a74055d8dad241c05', false],
];

test('Ed25519 edge cases get the network\'s verdicts', () => {
  for (const [note, key, sig, valid] of SIGNATURE_VECTORS) {
    assert.equal(verifySignature(unhex(sig), utf8('maaschain'), unhex(key)), valid, note);
  }
});

// docs/receipts.md, Worked example.
const NODE_KEY = 'f7b5887c13aa4ec0454ba2ad4a2c7593c60846e07846c723267c1b6a9dd8a805';
const head = (seq, ts) => '01' + '0000000000000539' + NODE_KEY + '2695e02c718599604ad0d40ffe7b64af47fc98c5' + seq + ts
  + '0000000469726973' + '00000005312e302e30' + '01' + '47612b3175fece07f6c3e91992412c5b16ca88a9068cb72fecbcf653eb5ffcd7'
  + '01' + '464de10d3875841690d66e3a76897dc895f2823e' + '01' + '1f58b9145b24d108d7ac38887338b3ea3229833b9c1e418250343f907bfd1047';
const SUCCESS = head('0000000000000007', '0000018bcfe5687b') + '00c8' + 'a9f4b3d22a523fdada41c85c175425bcd15b32b4cd0f54d9433accd52d7195a1' + '0000000000000007';
const REFUSAL = head('0000000000000008', (1700000000456).toString(16).padStart(16, '0')) + '0193' + '000000084e4f5f4752414e54'
  + 'd293fbb40252e37ca45043b6d1dca0c2411b8de1750aaccaf60b0655e0d58eb7' + '0000000000000000';
const SIGNATURE = 'bed3d8712d60b04e4b45ecea933d1f1151d16d73823ac9dd6bb1770e250386a4ea5fef23a4a0a8595d3d130d48bdcd30bea10ffe6ea29024a711939916b99f0f';
const TAG = concat(utf8('maaschain/receipt/v1'), Uint8Array.of(0));

test('the worked receipt decodes, hashes to its id and verifies', () => {
  const enc = unhex(SUCCESS);
  assert.equal(enc.length, 223);
  const r = decodeReceipt(enc);
  assert.equal(r.seq, 7n);
  assert.equal(r.model, 'iris');
  assert.equal(r.version, '1.0.0');
  assert.equal(r.caller, 'mc464de10d3875841690d66e3a76897dc895f2823e');
  assert.equal(r.nodeAddress, 'mc2695e02c718599604ad0d40ffe7b64af47fc98c5');
  assert.equal(r.fee, 7n);
  assert.equal(hex(H(enc)), 'df9690bccb481b77adecba9bc4bcd77cddbf5f6112f7dd632d16a033b02f6f41');
  assert.equal(verifySignature(unhex(SIGNATURE), concat(TAG, enc), r.nodeKey), true);
  const tampered = enc.slice();
  tampered[222] ^= 1; // the fee
  assert.equal(verifySignature(unhex(SIGNATURE), concat(TAG, tampered), r.nodeKey), false);
});

test('the worked refusal decodes and hashes to its id', () => {
  const enc = unhex(REFUSAL);
  assert.equal(enc.length, 235);
  const r = decodeReceipt(enc);
  assert.equal(r.status, 403);
  assert.equal(r.errorCode, 'NO_GRANT');
  assert.equal(hex(H(enc)), '20a7eae5535e2ab8ef90dc5bf6d9e8ad06c094921598f5b0308ae4a548f041d6');
});

// A format 2 receipt a dev node wrote for a call paid through its API key's allowance (tag 2, spending key follows).
const API_KEY_PAID = '02000000000000053939fe93da3f8430228d242978f8556e4dadb657c1ee2da2df3957d61f2b184590924f678762f6439ca76c964baebffe70c65ff0330000000000000001000001a2521f7539000000046972697300000005312e302e30017568d27a0775e446999c0028daaa10c4a4548663149677871199d760737bcf1801924f678762f6439ca76c964baebffe70c65ff033015f7b93790eb92d26f0c07c92be5e612feb94d96b434cf68d0b6d2c2d4a69fe0800c8a01dba71a514fe690e72b8706fd0d02233e596558d7ad4cc7c2493c94e44e42c000000000000000102694d2a18176e08b8a2b15200f293ff9ec80564b3007afe11dab92f73a146e763';

test('a format 2 receipt records what paid the call', () => {
  const r = decodeReceipt(unhex(API_KEY_PAID));
  assert.equal(r.fee, 1n);
  assert.equal(r.model, 'iris');
  assert.equal(r.paidBy.kind, 'api key');
  assert.equal(hex(r.paidBy.spendingKey), '694d2a18176e08b8a2b15200f293ff9ec80564b3007afe11dab92f73a146e763');
  assert.equal(hex(H(unhex(API_KEY_PAID))), 'bdc4eef3daa1ccfaf36b5dc9feacaa9cdcbfbd7dd7aeef4a7576ea26ea222663');
});

test('the decoder refuses what the spec refuses', () => {
  assert.throws(() => decodeReceipt(unhex(SUCCESS + '00')), /left over/);
  assert.throws(() => decodeReceipt(unhex(SUCCESS.slice(0, -2))), /truncated/);
  assert.throws(() => decodeReceipt(unhex('03' + SUCCESS.slice(2))), /version/);
  assert.throws(() => decodeReceipt(unhex('02' + SUCCESS.slice(2))), /paid-by tag|without a fee/);
  assert.throws(() => decodeReceipt(unhex(API_KEY_PAID.slice(0, -66) + '03' + API_KEY_PAID.slice(-64))), /paid-by tag 3/);
  // a fee on a refusal
  assert.throws(() => decodeReceipt(unhex(REFUSAL.slice(0, -2) + '01')), /fee/);
});

test('the worked batch proof leads from receipt 8 to the receipts root', () => {
  const id8 = unhex('20a7eae5535e2ab8ef90dc5bf6d9e8ad06c094921598f5b0308ae4a548f041d6');
  const leaf7 = unhex('66b1e4ea50db89f0ba5a56ff45b8d2c84ed1c2c0bdda0bf93cc5046bad2b0c16');
  const root = unhex('ffe4d2f1a0b5f24e75241cc228781ee249946cf4c7d529c24a7e39f56542c50d');
  assert.equal(verifyInclusion(id8, 1, 2, [leaf7], root), true);
  assert.equal(verifyInclusion(id8, 0, 2, [leaf7], root), false);
  assert.equal(verifyInclusion(id8, 1, 3, [leaf7], root), false);
});
