#!/usr/bin/env python3
"""Independent verifier for the maaschain byte-level specification (docs/spec.md).

Written from docs/spec.md and docs/spec-smt.md only, with nothing but the Python standard library, so that
a fixture produced by the Java node and accepted here shows the specification is enough to check
transactions, blocks, transaction inclusion proofs and state proofs without the node's code.

    python3 tools/spec_verifier.py FIXTURE.json

Exit status: 0 if every check passes; 1 if any check fails or the fixture cannot be read (each failure is
printed on stderr, naming the object and the check); 2 for a usage error. The fixture format is described in
docs/spec.md, section "Conformance fixture".
"""

import hashlib
import json
import re
import sys

# ---------------------------------------------------------------------------------------------------------
# Ed25519.
#
# The code between the two marker lines is the reference implementation of RFC 8032, section 6
# ("Ed25519 Python Illustration"), by S. Josefsson and I. Liusvaara:
#
#   Copyright (c) 2017 IETF Trust and the persons identified as authors of the code. All rights reserved.
#   Redistribution and use in source and binary forms, with or without modification, is permitted pursuant
#   to, and subject to the license terms contained in, the Simplified BSD License set forth in Section 4.c
#   of the IETF Trust's Legal Provisions Relating to IETF Documents (https://trustee.ietf.org/license-info).
#
# It is reproduced unchanged except for: the signing functions, which a verifier does not need, are left out;
# and one marked erratum fix in recover_x (x2 is reduced mod p, so that y = p - 1 with the sign bit set is
# rejected as RFC 8032 section 5.1.3 step 4 requires). The rules by which maaschain verification differs
# from the illustration's verify() (docs/spec.md, "Signatures") are applied in ed25519_verify() below it.
# ----- begin RFC 8032 section 6 -----


def sha512(s):
    return hashlib.sha512(s).digest()


# Base field Z_p
p = 2**255 - 19


def modp_inv(x):
    return pow(x, p - 2, p)


# Curve constant
d = -121665 * modp_inv(121666) % p

# Group order
q = 2**252 + 27742317777372353535851937790883648493


def sha512_modq(s):
    return int.from_bytes(sha512(s), "little") % q


# Points are represented as tuples (X, Y, Z, T) of extended
# coordinates, with x = X/Z, y = Y/Z, x*y = T/Z

def point_add(P, Q):
    A, B = (P[1] - P[0]) * (Q[1] - Q[0]) % p, (P[1] + P[0]) * (Q[1] + Q[0]) % p
    C, D = 2 * P[3] * Q[3] * d % p, 2 * P[2] * Q[2] % p
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F, G * H, F * G, E * H)


# Computes Q = s * Q
def point_mul(s, P):
    Q = (0, 1, 1, 0)  # Neutral element
    while s > 0:
        if s & 1:
            Q = point_add(Q, P)
        P = point_add(P, P)
        s >>= 1
    return Q


def point_equal(P, Q):
    # x1 / z1 == x2 / z2  <==>  x1 * z2 == x2 * z1
    if (P[0] * Q[2] - Q[0] * P[2]) % p != 0:
        return False
    if (P[1] * Q[2] - Q[1] * P[2]) % p != 0:
        return False
    return True


# Square root of -1
modp_sqrt_m1 = pow(2, (p - 1) // 4, p)


# Compute corresponding x-coordinate, with low bit corresponding to
# sign, or return None on failure
def recover_x(y, sign):
    if y >= p:
        return None
    x2 = (y * y - 1) * modp_inv(d * y * y + 1) % p  # erratum fix: "% p" added (see above)
    if x2 == 0:
        if sign:
            return None
        else:
            return 0

    # Compute square root of x2
    x = pow(x2, (p + 3) // 8, p)
    if (x * x - x2) % p != 0:
        x = x * modp_sqrt_m1 % p
    if (x * x - x2) % p != 0:
        return None

    if (x & 1) != sign:
        x = p - x
    return x


# Base point
g_y = 4 * modp_inv(5) % p
g_x = recover_x(g_y, 0)
G = (g_x, g_y, 1, g_x * g_y % p)


def point_compress(P):
    zinv = modp_inv(P[2])
    x = P[0] * zinv % p
    y = P[1] * zinv % p
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def point_decompress(s):
    if len(s) != 32:
        raise Exception("Invalid input length for decompression")
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1

    x = recover_x(y, sign)
    if x is None:
        return None
    else:
        return (x, y, 1, x * y % p)


def verify(public, msg, signature):
    if len(public) != 32:
        raise Exception("Bad public key length")
    if len(signature) != 64:
        Exception("Bad signature length")
    A = point_decompress(public)
    if not A:
        return False
    Rs = signature[:32]
    R = point_decompress(Rs)
    if not R:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= q: return False
    h = sha512_modq(Rs + public + msg)
    sB = point_mul(s, G)
    hA = point_mul(h, A)
    return point_equal(sB, point_add(R, hA))

# ----- end RFC 8032 section 6 -----


NEUTRAL = (0, 1, 1, 0)


def ed25519_verify(public, msg, signature):
    """Ed25519 verification as docs/spec.md ("Signatures") defines it for maaschain.

    Differs from the illustration's verify() in two rules: a public key of small order (8A = neutral) is
    rejected, and the equation is the cofactored [8][S]B = [8]R + [8][k]A. Both encodings must be canonical
    (recover_x rejects y >= p and x = 0 with the sign bit set) and S must be below the group order q.
    """
    if len(public) != 32 or len(signature) != 64:
        return False
    A = point_decompress(public)
    if A is None or point_equal(point_mul(8, A), NEUTRAL):
        return False
    Rs = signature[:32]
    R = point_decompress(Rs)
    if R is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= q:
        return False
    k = sha512_modq(Rs + public + msg)
    return point_equal(point_mul(8, point_mul(s, G)), point_mul(8, point_add(R, point_mul(k, A))))


# ---------------------------------------------------------------------------------------------------------
# Primitive encoding (docs/spec.md, "Primitive types").

class DecodeError(Exception):
    pass


U63_MAX = 2**63 - 1


class Reader:
    """Strict reader: bounds-checked, big-endian, no trailing bytes once end() is called."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def raw(self, n, what):
        if n < 0 or len(self.data) - self.pos < n:
            raise DecodeError("truncated: %s needs %d bytes at offset %d, %d left"
                              % (what, n, self.pos, len(self.data) - self.pos))
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, n, what):
        return int.from_bytes(self.raw(n, what), "big")

    def u8(self, what):
        return self.uint(1, what)

    def u16(self, what):
        return self.uint(2, what)

    def u32(self, what):
        return self.uint(4, what)

    def u64(self, what):
        return self.uint(8, what)

    def u63(self, what):
        v = self.u64(what)
        if v > U63_MAX:
            raise DecodeError("%s exceeds 2^63-1" % what)
        return v

    def bytes(self, limit, what):
        n = self.u32(what + " length")
        if n > limit:
            raise DecodeError("%s is %d bytes, limit %d" % (what, n, limit))
        return self.raw(n, what)

    def string(self, limit, what):
        b = self.bytes(limit, what)
        try:
            return b.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise DecodeError("%s is not valid UTF-8" % what)

    def remaining(self):
        return len(self.data) - self.pos

    def end(self):
        if self.pos != len(self.data):
            raise DecodeError("%d trailing bytes" % (len(self.data) - self.pos))


def sha256(b):
    return hashlib.sha256(b).digest()


def sha256d(b):
    return sha256(sha256(b))


def address_text(addr20):
    return "mc" + addr20.hex()


def address_of(public_key):
    return sha256(public_key)[12:]


# ---------------------------------------------------------------------------------------------------------
# Transactions (docs/spec.md, "Transaction").

TX_DOMAIN_TAG = b"maaschain/tx/v1\x00"
MAX_TX_BYTES = 4096
KIND_TRANSFER = 1
KIND_REGISTER_MODEL = 2
KIND_UPDATE_PERMISSIONS = 3
NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,31}")
FORMAT_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


def read_registration(r):
    """The RegisterModel fields shared by the transaction payload and the ModelVersion state value."""
    m = {}
    m["name"] = r.string(64, "model name")
    m["version"] = r.string(32, "model version")
    m["artifactDigest"] = r.raw(32, "artifact digest").hex()
    m["artifactSize"] = r.u63("artifact size")
    m["format"] = r.string(32, "model format")
    m["license"] = r.string(128, "license")
    m["pricePerCall"] = r.u63("price per call")
    for field in ("parentModels", "datasets"):
        n = r.u16(field + " count")
        if n > 16:
            raise DecodeError("%s: %d entries, limit 16" % (field, n))
        m[field] = [r.raw(32, field).hex() for _ in range(n)]
    if not NAME_RE.fullmatch(m["name"]):
        raise DecodeError("model name %r is not [a-z0-9][a-z0-9._-]{0,63}" % m["name"])
    if not VERSION_RE.fullmatch(m["version"]):
        raise DecodeError("model version %r is not [A-Za-z0-9][A-Za-z0-9._+-]{0,31}" % m["version"])
    if not FORMAT_RE.fullmatch(m["format"]):
        raise DecodeError("model format %r is not [a-z0-9][a-z0-9._-]{0,31}" % m["format"])
    if m["artifactSize"] == 0:
        raise DecodeError("artifact size must be positive")
    return m


def decode_transaction(data):
    if len(data) > MAX_TX_BYTES:
        raise DecodeError("transaction is %d bytes, limit %d" % (len(data), MAX_TX_BYTES))
    r = Reader(data)
    version = r.u8("format version")
    if version != 1:
        raise DecodeError("unknown transaction format version %d" % version)
    tx = {}
    tx["chainId"] = r.u63("chain id")
    kind = r.u8("payload kind")
    sender_key = r.raw(32, "sender key")
    tx["senderKey"] = sender_key.hex()
    tx["sender"] = address_text(address_of(sender_key))
    tx["nonce"] = r.u63("nonce")
    tx["fee"] = r.u63("fee")
    if kind == KIND_TRANSFER:
        tx["kind"] = "transfer"
        tx["to"] = address_text(r.raw(20, "recipient"))
        tx["amount"] = r.u63("amount")
        if tx["amount"] == 0:
            raise DecodeError("transfer amount must be positive")
    elif kind == KIND_REGISTER_MODEL:
        tx["kind"] = "register_model"
        tx["model"] = read_registration(r)
    elif kind == KIND_UPDATE_PERMISSIONS:
        tx["kind"] = "update_permissions"
        for field, size in (("addAccounts", 20), ("removeAccounts", 20), ("addNodes", 32), ("removeNodes", 32),
                            ("addAdmins", 20), ("removeAdmins", 20)):
            n = r.u16(field + " count")
            if n > 64:
                raise DecodeError("%s: %d entries, limit 64" % (field, n))
            entries = [r.raw(size, field) for _ in range(n)]
            if len(set(entries)) != n:
                raise DecodeError("%s lists an entry twice" % field)
            tx[field] = [address_text(e) if size == 20 else e.hex() for e in entries]
        if not any(tx[f] for f in ("addAccounts", "removeAccounts", "addNodes", "removeNodes", "addAdmins", "removeAdmins")):
            raise DecodeError("a permission update must change something")
    else:
        raise DecodeError("unknown payload kind %d" % kind)
    body_length = r.pos
    tx["signature"] = r.raw(64, "signature").hex()
    r.end()
    tx["_body"] = data[:body_length]
    tx["_senderKey"] = sender_key
    tx["_signature"] = bytes.fromhex(tx["signature"])
    return tx


# ---------------------------------------------------------------------------------------------------------
# Headers, blocks and proof of work (docs/spec.md, "Block header", "Block", "Proof of work").

HEADER_LENGTH = 150
MAX_HEADER_BYTES = 1024
MAX_BLOCK_BYTES = 64 * 1024 * 1024
SEAL_POW = 1


def decode_header(data):
    if len(data) > MAX_HEADER_BYTES:
        raise DecodeError("header is %d bytes, limit %d" % (len(data), MAX_HEADER_BYTES))
    r = Reader(data)
    version = r.u8("header format version")
    if version != 1:
        raise DecodeError("unknown header format version %d" % version)
    h = {}
    h["height"] = r.u63("height")
    h["parentHash"] = r.raw(32, "parent hash").hex()
    h["timestamp"] = r.u63("timestamp")
    h["txRoot"] = r.raw(32, "tx root").hex()
    h["stateRoot"] = r.raw(32, "state root").hex()
    h["proposer"] = address_text(r.raw(20, "proposer"))
    h["txCount"] = r.u32("tx count")
    if h["txCount"] > 2**31 - 1:
        raise DecodeError("tx count too large")
    seal = r.u8("seal kind")
    if seal != SEAL_POW:
        raise DecodeError("unknown seal kind %d" % seal)
    h["bits"] = "0x%08x" % r.u32("pow bits")
    h["nonce"] = str(r.u64("pow nonce"))
    r.end()
    return h


def compact_to_target(bits):
    """Bitcoin's SetCompact. Returns (target, negative, overflow)."""
    size = bits >> 24
    word = bits & 0x007FFFFF
    if size <= 3:
        word >>= 8 * (3 - size)
        target = word
    else:
        target = (word << (8 * (size - 3))) % 2**256
    negative = word != 0 and (bits & 0x00800000) != 0
    overflow = word != 0 and (size > 34 or (word > 0xFF and size > 33) or (word > 0xFFFF and size > 32))
    return target, negative, overflow


def decode_block(data):
    if len(data) > MAX_BLOCK_BYTES:
        raise DecodeError("block is %d bytes, limit %d" % (len(data), MAX_BLOCK_BYTES))
    r = Reader(data)
    header_bytes = r.bytes(MAX_HEADER_BYTES, "header")
    header = decode_header(header_bytes)
    count = r.u32("transaction count")
    if count != header["txCount"]:
        raise DecodeError("block has %d transactions, its header says %d" % (count, header["txCount"]))
    if count > r.remaining() // 4:
        raise DecodeError("transaction count exceeds the bytes present")
    txs = []
    for i in range(count):
        txs.append(decode_transaction(r.bytes(MAX_TX_BYTES, "transaction %d" % i)))
    r.end()
    return header_bytes, header, txs


# ---------------------------------------------------------------------------------------------------------
# Transaction Merkle tree, RFC 6962 / RFC 9162 (docs/spec.md, "Transaction Merkle tree").

def mt_leaf(item):
    return sha256(b"\x00" + item)


def mt_node(left, right):
    return sha256(b"\x01" + left + right)


def mt_root(items):
    if not items:
        return sha256(b"")

    def subtree(leaves):
        n = len(leaves)
        if n == 1:
            return leaves[0]
        k = 1
        while k * 2 < n:
            k *= 2
        return mt_node(subtree(leaves[:k]), subtree(leaves[k:]))

    return subtree([mt_leaf(i) for i in items])


def mt_verify_inclusion(item, index, tree_size, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index < 0 or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = mt_leaf(item)
    for p_ in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = mt_node(p_, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = mt_node(r, p_)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# ---------------------------------------------------------------------------------------------------------
# State: keys, values and the sparse Merkle tree (docs/spec.md, "State"; docs/spec-smt.md).

ZERO = bytes(32)


def key_bit(k, i):
    return (k[i // 8] >> (7 - i % 8)) & 1


def smt_leaf(k, v):
    return sha256(b"\x00" + k + v)


def smt_branch(left, right):
    return sha256(b"\x01" + left + right)


def smt_root(entries, depth=0):
    """root(S) of docs/spec-smt.md, from the definition T(S, d); entries is a list of (key, valueHash)."""
    if not entries:
        return ZERO
    if len(entries) == 1:
        return smt_leaf(*entries[0])
    left = [e for e in entries if key_bit(e[0], depth) == 0]
    right = [e for e in entries if key_bit(e[0], depth) == 1]
    return smt_branch(smt_root(left, depth + 1), smt_root(right, depth + 1))


def smt_fold(root, k, siblings, h):
    if len(siblings) > 256:
        return False
    for depth in range(len(siblings) - 1, -1, -1):
        if key_bit(k, depth) == 0:
            h = smt_branch(h, siblings[depth])
        else:
            h = smt_branch(siblings[depth], h)
    return h == root


def smt_verify_inclusion(root, k, v, siblings, leaf):
    if leaf is None:
        return False
    lk, lv = leaf
    if lk != k or lv != v:
        return False
    return smt_fold(root, k, siblings, smt_leaf(k, v))


def prefix_equal(a, b, bits):
    return all(key_bit(a, i) == key_bit(b, i) for i in range(bits))


def smt_verify_non_inclusion(root, k, siblings, leaf):
    depth = len(siblings)
    if depth > 256:
        return False
    if leaf is None:
        return smt_fold(root, k, siblings, ZERO)
    lk, lv = leaf
    if lk == k:
        return False
    if not prefix_equal(lk, k, depth):
        return False
    return smt_fold(root, k, siblings, smt_leaf(lk, lv))


def decode_smt_proof(data):
    r = Reader(data)
    n = r.u16("sibling count")
    if n > 256:
        raise DecodeError("%d siblings, limit 256" % n)
    siblings = [r.raw(32, "sibling") for _ in range(n)]
    flag = r.u8("leaf flag")
    if flag > 1:
        raise DecodeError("leaf flag must be 0 or 1, got %d" % flag)
    leaf = (r.raw(32, "leaf key"), r.raw(32, "leaf value hash")) if flag == 1 else None
    r.end()
    return siblings, leaf


STATE_ACCOUNT = 0x01
STATE_MODEL_VERSION = 0x02
STATE_MODEL_NAME = 0x03


def decode_state_key(key):
    r = Reader(key)
    t = r.u8("state key type")
    if t == STATE_ACCOUNT:
        out = {"type": "account", "address": address_text(r.raw(20, "address"))}
    elif t == STATE_MODEL_VERSION:
        out = {"type": "model_version", "name": r.string(64, "name"), "version": r.string(32, "version")}
    elif t == STATE_MODEL_NAME:
        out = {"type": "model_name", "name": r.string(64, "name")}
    else:
        raise DecodeError("unknown state key type 0x%02x" % t)
    r.end()
    return out


def decode_state_value(key_info, value):
    r = Reader(value)
    t = key_info["type"]
    if t == "account":
        out = {"balance": r.u63("balance"), "nonce": r.u63("nonce")}
    elif t == "model_version":
        out = {"owner": address_text(r.raw(20, "owner"))}
        out.update(read_registration(r))
        out["registeredAtHeight"] = r.u63("registered at height")
        if (out["name"], out["version"]) != (key_info["name"], key_info["version"]):
            raise DecodeError("model version value names %s/%s but its key is %s/%s"
                              % (out["name"], out["version"], key_info["name"], key_info["version"]))
    else:
        out = {"owner": address_text(r.raw(20, "owner")), "latestVersion": r.string(32, "latest version"),
               "versionCount": r.u63("version count")}
    r.end()
    return out


# ---------------------------------------------------------------------------------------------------------
# Genesis (docs/spec.md, "Genesis").

GENESIS_FIELDS = {"chainId", "timestamp", "minTxFee", "maxBlockTransactions", "maxBlockBytes", "consensus", "alloc"}
POW_FIELDS = {"kind", "powLimitBits", "initialBits", "targetBlockTimeMillis", "retargetInterval", "noRetargeting",
              "blockReward"}
DECIMAL_RE = re.compile(r"[+-]?[0-9]+")


def no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise DecodeError("duplicate key '%s'" % k)
        out[k] = v
    return out


def genesis_integer(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise DecodeError("'%s' must be an integer or a decimal string" % what)
    if isinstance(value, str):
        if not DECIMAL_RE.fullmatch(value):
            raise DecodeError("'%s' must be an integer or a decimal string" % what)
        value = int(value)
    if not 0 <= value <= U63_MAX:
        raise DecodeError("'%s' must be in 0..2^63-1" % what)
    return value


def parse_address(text):
    if not isinstance(text, str) or not re.fullmatch(r"mc[0-9a-fA-F]{40}", text):
        raise DecodeError("an address is 'mc' followed by 40 hex digits: %r" % (text,))
    return bytes.fromhex(text[2:])


def genesis_header(text):
    """The genesis header encoding the genesis file determines."""
    try:
        g = json.loads(text, object_pairs_hook=no_duplicates)
    except ValueError as e:
        raise DecodeError("not JSON: %s" % e)
    if not isinstance(g, dict):
        raise DecodeError("genesis must be a JSON object")
    unknown = set(g) - GENESIS_FIELDS
    if unknown:
        raise DecodeError("unknown field(s) %s" % sorted(unknown))
    if "chainId" not in g:
        raise DecodeError("missing required field 'chainId'")
    for f in ("chainId", "minTxFee", "maxBlockTransactions", "maxBlockBytes"):
        if f in g:
            genesis_integer(g[f], f)
    timestamp = genesis_integer(g.get("timestamp", 0), "timestamp")
    consensus = g.get("consensus")
    if not isinstance(consensus, dict) or not isinstance(consensus.get("kind"), str):
        raise DecodeError("'consensus' must be an object with a string 'kind'")
    if consensus["kind"] != "pow":
        raise DecodeError("consensus kind %r is not one this verifier knows (pow)" % consensus["kind"])
    unknown = set(consensus) - POW_FIELDS
    if unknown:
        raise DecodeError("unknown consensus field(s) %s" % sorted(unknown))
    bits = consensus.get("initialBits")
    if not isinstance(bits, str) or not re.fullmatch(r"0x[0-9a-fA-F]{8}", bits):
        raise DecodeError("'initialBits' must be \"0x\" and 8 hex digits")
    alloc = g.get("alloc", {})
    if not isinstance(alloc, dict):
        raise DecodeError("'alloc' must map addresses to balances")
    balances = {}
    for text_address, balance in alloc.items():
        balances[parse_address(text_address)] = genesis_integer(balance, "alloc." + text_address)
    if sum(balances.values()) > U63_MAX:
        raise DecodeError("total supply exceeds 2^63-1")
    entries = [(sha256(b"\x01" + a), sha256(v.to_bytes(8, "big") + bytes(8))) for a, v in balances.items()]
    # The parent-hash field of the genesis header is SHA-256 of the genesis file's exact UTF-8 bytes.
    return (b"\x01" + bytes(8) + sha256(text.encode("utf-8")) + timestamp.to_bytes(8, "big") + sha256(b"") + smt_root(entries)
            + bytes(20) + bytes(4) + b"\x01" + int(bits, 16).to_bytes(4, "big") + bytes(8))


# ---------------------------------------------------------------------------------------------------------
# The fixture.

class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def fail(self, what, message):
        self.failures.append("%s: %s" % (what, message))

    def ok(self):
        self.passed += 1


def unhex(value, what, length=None):
    if not isinstance(value, str):
        raise DecodeError("%s must be a hex string" % what)
    try:
        b = bytes.fromhex(value)
    except ValueError:
        raise DecodeError("%s is not hex" % what)
    if length is not None and len(b) != length:
        raise DecodeError("%s must be %d bytes, got %d" % (what, length, len(b)))
    return b


def compare_expected(c, what, decoded, expect):
    """Every field the fixture states must equal what the bytes decode to."""
    if expect is None:
        return True
    good = True
    for name, want in expect.items():
        if name not in decoded:
            c.fail(what, "the fixture states field '%s', which the encoding does not have" % name)
            good = False
        elif decoded[name] != want:
            c.fail(what, "field '%s' decodes to %r, the fixture says %r" % (name, decoded[name], want))
            good = False
    return good


def check_transaction(c, i, t):
    what = "transaction[%d]" % i
    try:
        encoded = unhex(t["encoded"], what + ".encoded")
        tx = decode_transaction(encoded)
    except (DecodeError, KeyError) as e:
        c.fail(what, "does not decode: %s" % e)
        return
    what = "transaction[%d] (%s nonce %d)" % (i, tx["sender"], tx["nonce"])
    if not ed25519_verify(tx["_senderKey"], TX_DOMAIN_TAG + tx["_body"], tx["_signature"]):
        c.fail(what, "Ed25519 signature does not verify over the domain tag and the body")
    else:
        c.ok()
    digest = sha256(encoded).hex()
    if digest != t.get("hash"):
        c.fail(what, "SHA-256 of the encoding is %s, the fixture says %s" % (digest, t.get("hash")))
    else:
        c.ok()
    public = {k: v for k, v in tx.items() if not k.startswith("_")}
    if compare_expected(c, what, public, t.get("expect")):
        c.ok()


def check_block(c, i, b, headers):
    what = "block[%d]" % i
    try:
        header_bytes = unhex(b["header"], what + ".header")
        h = decode_header(header_bytes)
    except (DecodeError, KeyError) as e:
        c.fail(what, "header does not decode: %s" % e)
        return
    what = "block[%d] (height %d)" % (i, h["height"])
    if len(header_bytes) != HEADER_LENGTH:
        c.fail(what, "a proof-of-work header is %d bytes, this one %d" % (HEADER_LENGTH, len(header_bytes)))
    block_hash = sha256d(header_bytes)
    if block_hash.hex() != b.get("hash"):
        c.fail(what, "SHA-256d of the header is %s, the fixture says %s" % (block_hash.hex(), b.get("hash")))
    else:
        c.ok()
        headers[block_hash.hex()] = h
    target, negative, overflow = compact_to_target(int(h["bits"], 16))
    if h["height"] == 0:
        pass  # the genesis block is derived, not mined: its seal is not checked against its target
    elif negative or overflow or target == 0:
        c.fail(what, "bits %s do not encode a usable target" % h["bits"])
    elif int.from_bytes(block_hash, "big") > target:
        c.fail(what, "proof of work: hash %s is above the target %064x of bits %s"
               % (block_hash.hex(), target, h["bits"]))
    else:
        c.ok()
    if compare_expected(c, what, h, b.get("expect")):
        c.ok()
    if "encoded" in b:
        try:
            inner, _, txs = decode_block(unhex(b["encoded"], what + ".encoded"))
        except DecodeError as e:
            c.fail(what, "block encoding does not decode: %s" % e)
            return
        if inner != header_bytes:
            c.fail(what, "the block encoding carries a different header")
        root = mt_root([sha256(tx["_body"] + tx["_signature"]) for tx in txs])
        if root.hex() != h["txRoot"]:
            c.fail(what, "Merkle root of its %d transactions is %s, the header says %s"
                   % (len(txs), root.hex(), h["txRoot"]))
        else:
            c.ok()
        for j, tx in enumerate(txs):
            if not ed25519_verify(tx["_senderKey"], TX_DOMAIN_TAG + tx["_body"], tx["_signature"]):
                c.fail(what, "transaction %d in the block has a bad signature" % j)


def check_inclusion(c, i, pr, headers):
    what = "txInclusionProof[%d]" % i
    try:
        h = headers.get(pr["blockHash"])
        if h is None:
            c.fail(what, "block %s is not among the verified blocks" % pr["blockHash"])
            return
        item = unhex(pr["txHash"], what + ".txHash", 32)
        path = [unhex(x, what + ".path", 32) for x in pr["path"]]
        index, size = pr["leafIndex"], pr["treeSize"]
        if not isinstance(index, int) or not isinstance(size, int):
            raise DecodeError("leafIndex and treeSize must be integers")
    except (DecodeError, KeyError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    if size != h["txCount"]:
        c.fail(what, "treeSize %d but the block has %d transactions" % (size, h["txCount"]))
    if not mt_verify_inclusion(item, index, size, path, bytes.fromhex(h["txRoot"])):
        c.fail(what, "transaction %s is not proven at index %d against txRoot %s of block at height %d"
               % (pr["txHash"], index, h["txRoot"], h["height"]))
    else:
        c.ok()


def check_state_proof(c, i, pr, headers):
    what = "stateProof[%d]" % i
    try:
        h = headers.get(pr["blockHash"])
        if h is None:
            c.fail(what, "block %s is not among the verified blocks" % pr["blockHash"])
            return
        state_key = unhex(pr["stateKey"], what + ".stateKey")
        key_info = decode_state_key(state_key)
        value = None if pr.get("value") is None else unhex(pr["value"], what + ".value")
        siblings = [unhex(x, what + ".siblings", 32) for x in pr["siblings"]]
        tl = pr.get("terminalLeaf")
        leaf = None if tl is None else (unhex(tl["key"], what + ".terminalLeaf.key", 32),
                                        unhex(tl["valueHash"], what + ".terminalLeaf.valueHash", 32))
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    what = "stateProof[%d] (%s)" % (i, pr["stateKey"])
    tree_key = sha256(state_key)
    if "treeKey" in pr and pr["treeKey"] != tree_key.hex():
        c.fail(what, "treeKey is SHA-256 of the state key, %s, the fixture says %s" % (tree_key.hex(), pr["treeKey"]))
    if "encoded" in pr:
        try:
            enc_siblings, enc_leaf = decode_smt_proof(unhex(pr["encoded"], what + ".encoded"))
            if enc_siblings != siblings or enc_leaf != leaf:
                c.fail(what, "the proof encoding differs from the stated siblings and terminal leaf")
            else:
                c.ok()
        except DecodeError as e:
            c.fail(what, "proof encoding does not decode: %s" % e)
    root = bytes.fromhex(h["stateRoot"])
    if value is None:
        if not smt_verify_non_inclusion(root, tree_key, siblings, leaf):
            c.fail(what, "absence is not proven against stateRoot %s of block at height %d" % (h["stateRoot"], h["height"]))
        else:
            c.ok()
        return
    try:
        decoded = decode_state_value(key_info, value)
    except DecodeError as e:
        c.fail(what, "value does not decode as a %s: %s" % (key_info["type"], e))
        decoded = None
    if not smt_verify_inclusion(root, tree_key, sha256(value), siblings, leaf):
        c.fail(what, "value is not proven against stateRoot %s of block at height %d" % (h["stateRoot"], h["height"]))
    else:
        c.ok()
    if decoded is not None and compare_expected(c, what, decoded, pr.get("expect")):
        c.ok()


def check_state_dump(c, i, s, headers):
    what = "state[%d]" % i
    try:
        h = headers.get(s["blockHash"])
        if h is None:
            c.fail(what, "block %s is not among the verified blocks" % s["blockHash"])
            return
        entries = []
        for e in s["entries"]:
            k = unhex(e["key"], what + ".key")
            v = unhex(e["value"], what + ".value")
            decode_state_value(decode_state_key(k), v)
            entries.append((sha256(k), sha256(v)))
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    if len({k for k, _ in entries}) != len(entries):
        c.fail(what, "duplicate state keys")
        return
    root = smt_root(entries)
    if root.hex() != h["stateRoot"]:
        c.fail(what, "the %d entries give state root %s, block at height %d says %s"
               % (len(entries), root.hex(), h["height"], h["stateRoot"]))
    else:
        c.ok()


def check_signature_vector(c, i, v):
    what = "signature[%d]" % i
    try:
        public = unhex(v["publicKey"], what + ".publicKey", 32)
        message = unhex(v["message"], what + ".message")
        signature = unhex(v["signature"], what + ".signature", 64)
        expected = v["valid"]
        if not isinstance(expected, bool):
            raise DecodeError("'valid' must be true or false")
    except (DecodeError, KeyError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    if v.get("note"):
        what += " (%s)" % v["note"]
    if ed25519_verify(public, message, signature) != expected:
        c.fail(what, "Ed25519 verification says %s, the fixture (the reference implementation) says %s"
               % ("valid" if not expected else "invalid", "valid" if expected else "invalid"))
    else:
        c.ok()


def check_genesis(c, g, headers):
    what = "genesis"
    try:
        header_bytes = genesis_header(g["json"])
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "the genesis file is not valid: %s" % e)
        return
    block_hash = sha256d(header_bytes).hex()
    if block_hash != g.get("hash"):
        c.fail(what, "the genesis file gives genesis hash %s, the fixture says %s" % (block_hash, g.get("hash")))
    else:
        c.ok()
        headers[block_hash] = decode_header(header_bytes)


def run(fixture):
    c = Checker()
    headers = {}
    if "genesis" in fixture:
        check_genesis(c, fixture["genesis"], headers)
    for i, v in enumerate(fixture.get("signatures", [])):
        check_signature_vector(c, i, v)
    for i, t in enumerate(fixture.get("transactions", [])):
        check_transaction(c, i, t)
    for i, b in enumerate(fixture.get("blocks", [])):
        check_block(c, i, b, headers)
    for i, pr in enumerate(fixture.get("txInclusionProofs", [])):
        check_inclusion(c, i, pr, headers)
    for i, pr in enumerate(fixture.get("stateProofs", [])):
        check_state_proof(c, i, pr, headers)
    for i, s in enumerate(fixture.get("states", [])):
        check_state_dump(c, i, s, headers)
    return c


def main(argv):
    if len(argv) != 2:
        print("usage: spec_verifier.py FIXTURE.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            fixture = json.loads(f.read().decode("utf-8"))
        if not isinstance(fixture, dict):
            raise ValueError("the fixture must be a JSON object")
    except (OSError, ValueError) as e:
        print("FAIL: cannot read fixture %s: %s" % (argv[1], e), file=sys.stderr)
        return 1
    c = run(fixture)
    counts = ("genesis, " if "genesis" in fixture else "") + ", ".join("%d %s" % (len(fixture.get(k, [])), k)
                       for k in ("signatures", "transactions", "blocks", "txInclusionProofs", "stateProofs", "states"))
    if c.failures:
        for f in c.failures:
            print("FAIL: " + f, file=sys.stderr)
        print("spec_verifier: %d check(s) failed (%s)" % (len(c.failures), counts), file=sys.stderr)
        return 1
    if c.passed == 0:
        print("FAIL: the fixture holds nothing to check", file=sys.stderr)
        return 1
    print("spec_verifier: all %d checks passed (%s)" % (c.passed, counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
