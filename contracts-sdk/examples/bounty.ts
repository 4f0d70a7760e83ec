// Conditional escrow / bounty: the funder locks coins until a model with a given artifact digest is registered
// under a given name by the deadline; then anyone may call claim() and the coins go to the model's owner.
// After the deadline, refund() returns them to the funder.
// init args: deadline height u64 || digest[32] || model name (ASCII); value = the bounty.
import { input, ret, set, get, u64At, slice, caller, blockHeight, balance, self, transfer, modelRecord, revert, bytes, emit, equal, u64Bytes } from "../assembly/maas";

// Storage keys are built in functions: a top-level initialiser would need a start function, which contracts may not have.
function TERMS(): Uint8Array { return bytes("t"); }
function FUNDER(): Uint8Array { return bytes("f"); }

export function init(): void {
  const args = input();
  if (args.length < 41) revert("init expects deadline digest model");
  set(TERMS(), args);
  set(FUNDER(), caller());
}

export function claim(): void {
  const t = get(TERMS());
  if (t == null) { revert("not initialised"); return; }
  if (blockHeight() > u64At(t, 0)) revert("the deadline has passed");
  const m = modelRecord(slice(t, 40, t.length));
  if (m == null) { revert("the model is not registered"); return; }
  if (!equal(slice(m, 20, 52), slice(t, 8, 40))) revert("the model's digest is not the one asked for");
  const amount = balance(self());
  transfer(slice(m, 0, 20), amount);
  emit("claimed", slice(m, 0, 20));
  ret(u64Bytes(amount));
}

export function refund(): void {
  const t = get(TERMS());
  const f = get(FUNDER());
  if (t == null || f == null) { revert("not initialised"); return; }
  if (blockHeight() <= u64At(t, 0)) revert("the deadline has not passed");
  const amount = balance(self());
  transfer(f, amount);
  emit("refunded", f);
  ret(u64Bytes(amount));
}
