// Revenue split: coins paid to this contract are divided among recorded recipients by their shares,
// for example a model's owner and the contributors of its training data.
// init args: n x (address[20] || share u64 LE). pay(): splits the attached value; distribute(): splits the balance.
// As a model's policy contract (docs/contracts.md, "Model policies"): authorize() allows every caller at the price
// the first recipient (the model's owner) set with setPrice(u64 LE); settlement pays the model's part to this contract,
// and distribute() shares it out.
import { input, ret, set, get, u64At, slice, transfer, value, balance, self, revert, bytes, emit, u64Bytes, caller, equal } from "../assembly/maas";

// Storage keys are built in functions: a top-level initialiser would need a start function, which contracts may not have.
function RECIPIENTS(): Uint8Array { return bytes("r"); }
function PRICE(): Uint8Array { return bytes("p"); }

export function init(): void {
  const args = input();
  if (args.length == 0 || args.length % 28 != 0) revert("init expects n x (address[20] share u64)");
  let total: u64 = 0;
  for (let i = 0; i < args.length; i += 28) total += u64At(args, i + 20);
  if (total == 0) revert("shares must not all be zero");
  set(RECIPIENTS(), args);
}

function split(amount: u64): void {
  const r = get(RECIPIENTS());
  if (r == null) { revert("no recipients"); return; }
  let total: u64 = 0;
  for (let i = 0; i < r.length; i += 28) total += u64At(r, i + 20);
  let paid: u64 = 0;
  for (let i = 28; i < r.length; i += 28) {
    const part = amount / total * u64At(r, i + 20) + amount % total * u64At(r, i + 20) / total;
    transfer(slice(r, i, i + 20), part);
    paid += part;
  }
  // The first recipient (the owner) takes the rounding remainder.
  transfer(slice(r, 0, 20), amount - paid);
  emit("split", u64Bytes(amount));
  ret(u64Bytes(amount));
}

export function pay(): void {
  split(value());
}

export function distribute(): void {
  split(balance(self()));
}

export function recipients(): void {
  const r = get(RECIPIENTS());
  if (r != null) ret(r);
}

export function setPrice(): void {
  const r = get(RECIPIENTS());
  if (r == null) { revert("no recipients"); return; }
  if (!equal(caller(), slice(r, 0, 20))) revert("only the first recipient sets the price");
  const p = input();
  if (p.length != 8) revert("setPrice expects a u64");
  set(PRICE(), p);
}

// Allows everyone: at the price set, or (01 alone) at the model's registered price until one is set.
export function authorize(): void {
  const p = get(PRICE());
  const out = new Uint8Array(p == null ? 1 : 9);
  out[0] = 1;
  if (p != null) for (let i = 0; i < 8; i++) out[1 + i] = p[i];
  ret(out);
}
