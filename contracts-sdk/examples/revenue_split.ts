// Revenue split: coins paid to this contract are divided among recorded recipients by their shares,
// for example a model's owner and the contributors of its training data.
// init args: n x (address[20] || share u64 LE). pay(): splits the attached value; distribute(): splits the balance.
import { input, ret, set, get, u64At, slice, transfer, value, balance, self, revert, bytes, emit, u64Bytes } from "../assembly/maas";

// Storage keys are built in functions: a top-level initialiser would need a start function, which contracts may not have.
function RECIPIENTS(): Uint8Array { return bytes("r"); }

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
