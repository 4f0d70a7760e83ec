// maaschain contract SDK: the host API (docs/contracts.md, "Host API") with small helpers.
// Numbers cross the boundary little-endian; addresses are 20 bytes; entry points take no parameters
// (arguments come from input()) and return nothing (results go through ret()).

@external("maas", "input_size") declare function input_size(): i32;
@external("maas", "input_read") declare function input_read(ptr: usize): void;
@external("maas", "set_return") declare function set_return(ptr: usize, len: i32): void;
@external("maas", "storage_read") declare function storage_read(k: usize, kl: i32, v: usize, vc: i32): i32;
@external("maas", "storage_write") declare function storage_write(k: usize, kl: i32, v: usize, vl: i32): void;
@external("maas", "storage_delete") declare function storage_delete(k: usize, kl: i32): void;
@external("maas", "caller") declare function host_caller(ptr: usize): void;
@external("maas", "self_address") declare function host_self(ptr: usize): void;
@external("maas", "value") declare function host_value(): i64;
@external("maas", "block_height") declare function host_height(): i64;
@external("maas", "balance") declare function host_balance(ptr: usize): i64;
@external("maas", "transfer") declare function host_transfer(ptr: usize, amount: i64): void;
@external("maas", "emit") declare function host_emit(t: usize, tl: i32, d: usize, dl: i32): void;
@external("maas", "model_read") declare function host_model_read(n: usize, nl: i32, out: usize, cap: i32): i32;
@external("maas", "grant_access") declare function host_grant(n: usize, nl: i32, g: usize, quota: i64, expiry: i64): void;

export const ADDRESS = 20;

/** The call's arguments. */
export function input(): Uint8Array {
  const n = input_size();
  const b = new Uint8Array(n);
  if (n > 0) input_read(b.dataStart);
  return b;
}

/** Sets the call's return data. */
export function ret(b: Uint8Array): void {
  set_return(b.dataStart, b.length);
}

/** Ends the call as ABORTED: every effect is reverted, the gas used is still paid. */
export function revert(message: string): void {
  abort(message);
}

/** An ASCII string as bytes (storage keys, topics, model names). */
export function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = <u8>s.charCodeAt(i);
  return b;
}

export function u64At(b: Uint8Array, offset: i32): u64 {
  if (offset + 8 > b.length) revert("argument too short");
  return load<u64>(b.dataStart + offset);
}

export function u64Bytes(v: u64): Uint8Array {
  const b = new Uint8Array(8);
  store<u64>(b.dataStart, v);
  return b;
}

export function slice(b: Uint8Array, from: i32, to: i32): Uint8Array {
  if (to > b.length || from > to) revert("argument too short");
  return b.slice(from, to);
}

export function equal(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

/** The stored value, or null. */
export function get(key: Uint8Array): Uint8Array | null {
  const buf = new Uint8Array(256);
  const n = storage_read(key.dataStart, key.length, buf.dataStart, buf.length);
  if (n < 0) return null;
  if (n <= buf.length) return buf.slice(0, n);
  const big = new Uint8Array(n);
  storage_read(key.dataStart, key.length, big.dataStart, n);
  return big;
}

export function set(key: Uint8Array, value: Uint8Array): void {
  storage_write(key.dataStart, key.length, value.dataStart, value.length);
}

export function remove(key: Uint8Array): void {
  storage_delete(key.dataStart, key.length);
}

export function getU64(key: Uint8Array): u64 {
  const v = get(key);
  return v == null ? 0 : u64At(v, 0);
}

export function setU64(key: Uint8Array, v: u64): void {
  set(key, u64Bytes(v));
}

export function caller(): Uint8Array {
  const b = new Uint8Array(ADDRESS);
  host_caller(b.dataStart);
  return b;
}

export function self(): Uint8Array {
  const b = new Uint8Array(ADDRESS);
  host_self(b.dataStart);
  return b;
}

/** Coins attached to this call (already credited to the contract). */
export function value(): u64 {
  return <u64>host_value();
}

export function blockHeight(): u64 {
  return <u64>host_height();
}

export function balance(account: Uint8Array): u64 {
  return <u64>host_balance(account.dataStart);
}

/** Pays from the contract's own balance; more than it holds ends the call (INSUFFICIENT_CONTRACT_BALANCE). */
export function transfer(to: Uint8Array, amount: u64): void {
  if (amount > 0) host_transfer(to.dataStart, <i64>amount);
}

export function emit(topic: string, data: Uint8Array): void {
  const t = bytes(topic);
  host_emit(t.dataStart, t.length, data.dataStart, data.length);
}

/** A model's record: owner[20] digest[32] price u64 public u8 versions u64 len u8 version; null if absent. */
export function modelRecord(name: Uint8Array): Uint8Array | null {
  const buf = new Uint8Array(160);
  const n = host_model_read(name.dataStart, name.length, buf.dataStart, buf.length);
  return n < 0 ? null : buf.slice(0, n);
}

/** Grants access to a model this contract owns or governs as its policy contract. */
export function grantAccess(model: Uint8Array, grantee: Uint8Array, quota: u64, expiryHeight: u64): void {
  host_grant(model.dataStart, model.length, grantee.dataStart, <i64>quota, <i64>expiryHeight);
}
