// Licence: pay once for N calls of a model within a period. The model's owner makes this contract the model's
// policy contract; buy() then grants the caller access on chain, which the gateway honours.
// init args: price u64 || calls u64 || period (blocks) u64 || model name (ASCII).
// buy(): value >= price; grants `calls` calls until height + period. authorize(): caller[20] || version... -> allow(1) price u64.
import { input, ret, set, get, u64At, slice, value, caller, blockHeight, grantAccess, revert, bytes, emit, u64Bytes, transfer } from "../assembly/maas";

// Storage keys are built in functions: a top-level initialiser would need a start function, which contracts may not have.
function TERMS(): Uint8Array { return bytes("t"); }
function OWNER(): Uint8Array { return bytes("o"); }

export function init(): void {
  const args = input();
  if (args.length < 25) revert("init expects price calls period model");
  set(TERMS(), args);
  set(OWNER(), caller());
}

export function buy(): void {
  const t = get(TERMS());
  if (t == null) { revert("not initialised"); return; }
  const price = u64At(t, 0);
  if (value() < price) revert("pay at least the licence price");
  const buyer = caller();
  grantAccess(slice(t, 24, t.length), buyer, u64At(t, 8), blockHeight() + u64At(t, 16));
  const owner = get(OWNER());
  if (owner != null) transfer(owner, value());
  emit("licence", buyer);
  ret(u64Bytes(blockHeight() + u64At(t, 16)));
}

// Gateway policy: allow every caller at the licence's per-call price of 0 (the licence was paid up front);
// the grant recorded by buy() is what the gateway checks for quota and expiry.
export function authorize(): void {
  const out = new Uint8Array(9);
  out[0] = 1;
  ret(out);
}
