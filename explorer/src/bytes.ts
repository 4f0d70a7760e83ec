// Hex, hashes and a strict reader for the canonical encoding of docs/spec.md ("Primitive types").
import { sha256 } from '@noble/hashes/sha256';

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function unhex(s: string, what = 'hex'): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-f]*$/.test(s)) throw new Error(`${what} is not lower-case hex`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

/** H(x): SHA-256. */
export const H = (b: Uint8Array): Uint8Array => sha256(b);
/** H2(x) = H(H(x)): the block hash. */
export const H2 = (b: Uint8Array): Uint8Array => sha256(sha256(b));

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The address of an Ed25519 key: the last 20 bytes of H(key), shown as "mc" + hex. */
export function address(key: Uint8Array): string {
  return 'mc' + hex(H(key).slice(12));
}

/** Reads the canonical encoding strictly: every read is bounds-checked, and done() refuses leftover bytes. */
export class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  raw(n: number, what: string): Uint8Array {
    if (this.pos + n > this.b.length) throw new Error(`truncated at ${what}`);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(what: string): number {
    return this.raw(1, what)[0];
  }

  u16(what: string): number {
    const r = this.raw(2, what);
    return (r[0] << 8) | r[1];
  }

  u32(what: string): number {
    const r = this.raw(4, what);
    return ((r[0] << 24) >>> 0) + (r[1] << 16) + (r[2] << 8) + r[3];
  }

  u64(what: string): bigint {
    let v = 0n;
    for (const x of this.raw(8, what)) v = (v << 8n) | BigInt(x);
    return v;
  }

  /** A u64 whose top bit is 0. */
  u63(what: string): bigint {
    const v = this.u64(what);
    if (v >= 1n << 63n) throw new Error(`${what} is over 2^63-1`);
    return v;
  }

  bool(what: string): boolean {
    const v = this.u8(what);
    if (v > 1) throw new Error(`${what} is not a bool`);
    return v === 1;
  }

  bytes(limit: number, what: string): Uint8Array {
    const n = this.u32(what);
    if (n > limit) throw new Error(`${what} is ${n} bytes, over ${limit}`);
    return this.raw(n, what);
  }

  string(limit: number, what: string): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(limit, what));
  }

  done(what: string): void {
    if (this.pos !== this.b.length) throw new Error(`${this.b.length - this.pos} bytes left over after ${what}`);
  }
}

/**
 * RFC 9162 inclusion proof verification (docs/spec.md, "Transaction Merkle tree"): does the audit path lead from the
 * leaf item `d` at `index` in a tree of `size` leaves to `root`?
 */
export function verifyInclusion(d: Uint8Array, index: number, size: number, path: Uint8Array[], root: Uint8Array): boolean {
  if (index < 0 || index >= size || path.length > 64) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = H(concat(Uint8Array.of(0), d));
  for (const p of path) {
    if (sn === 0n) return false;
    if (fn % 2n === 1n || fn === sn) {
      r = H(concat(Uint8Array.of(1), p, r));
      if (fn % 2n === 0n) {
        while (fn % 2n === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = H(concat(Uint8Array.of(1), r, p));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}
