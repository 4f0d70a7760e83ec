#!/usr/bin/env python3
"""Independent verifier for the maaschain byte-level specification (docs/spec.md).

Written from docs/spec.md and docs/spec-smt.md only, with nothing but the Python standard library, so that
a fixture produced by the Java node and accepted here shows the specification is enough to check
transactions of every kind, blocks, transaction inclusion proofs, state proofs and complete states, and to
re-execute blocks by the state-transition rules, without the node's code.

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


_verified = {}


def ed25519_verify(public, msg, signature):
    """Ed25519 verification, remembering verdicts (the fixture checks most signatures more than once)."""
    key = (bytes(public), bytes(msg), bytes(signature))
    if key not in _verified:
        _verified[key] = ed25519_verify_uncached(public, msg, signature)
    return _verified[key]


def ed25519_verify_uncached(public, msg, signature):
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
KIND_NEW_VERSION = 4
KIND_DEPRECATE = 5
KIND_SET_VISIBILITY = 6
KIND_HOST_MODEL = 7
KIND_GRANT_ACCESS = 8
KIND_REVOKE_ACCESS = 9
KIND_DEPOSIT = 10
KIND_WITHDRAW = 11
KIND_RECEIPT_BATCH = 12
KIND_STAKE, KIND_UNSTAKE, KIND_EVIDENCE = 13, 14, 15
KIND_REGISTER_PRODUCER, KIND_VOTE_PRODUCERS, KIND_SET_VALIDATOR = 16, 17, 18
KIND_ALLOW_SPENDING_KEY = 19
KIND_NAMES = {KIND_TRANSFER: "transfer", KIND_REGISTER_MODEL: "register_model",
              KIND_UPDATE_PERMISSIONS: "update_permissions", KIND_NEW_VERSION: "new_version",
              KIND_DEPRECATE: "deprecate", KIND_SET_VISIBILITY: "set_visibility", KIND_HOST_MODEL: "host_model",
              KIND_GRANT_ACCESS: "grant_access", KIND_REVOKE_ACCESS: "revoke_access", KIND_DEPOSIT: "deposit",
              KIND_WITHDRAW: "withdraw", KIND_RECEIPT_BATCH: "receipt_batch",
              KIND_ALLOW_SPENDING_KEY: "allow_spending_key"}
# Contract kinds (docs/contracts.md): decoded here, but blocks holding them are not re-executed (they run WebAssembly).
KIND_DEPLOY_CODE, KIND_INSTANTIATE, KIND_CALL_CONTRACT, KIND_SET_MODEL_POLICY = 24, 25, 26, 27
CONTRACT_KINDS = (KIND_DEPLOY_CODE, KIND_INSTANTIATE, KIND_CALL_CONTRACT, KIND_SET_MODEL_POLICY)
KIND_NAMES.update({KIND_DEPLOY_CODE: "deploy_code", KIND_INSTANTIATE: "instantiate",
                   KIND_CALL_CONTRACT: "call_contract", KIND_SET_MODEL_POLICY: "set_model_policy"})
MAX_CODE_BYTES = 65536
MAX_CONTRACT_ARGS = 2048
MAX_GAS_LIMIT = 50000000
FUNCTION_RE = re.compile(r"[A-Za-z0-9_]{1,64}")
NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,31}")
FORMAT_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
MAX_NAME = 64
MAX_VERSION = 32
MAX_PERMISSION_ENTRIES = 64
MAX_CHARGES = 1024
MAX_RECEIPTS = 1000000
PERMISSION_LISTS = (("addAccounts", 20), ("removeAccounts", 20), ("addNodes", 32), ("removeNodes", 32),
                    ("addAdmins", 20), ("removeAdmins", 20))


def read_bool(r, what):
    b = r.u8(what)
    if b > 1:
        raise DecodeError("%s must be 0 or 1, got %d" % (what, b))
    return b == 1


def read_count(r, limit, what):
    """A u16 count, checked against its limit before any entry is read."""
    n = r.u16(what + " count")
    if n > limit:
        raise DecodeError("%s: %d entries, limit %d" % (what, n, limit))
    return n


def read_name(r):
    name = r.string(MAX_NAME, "model name")
    if not NAME_RE.fullmatch(name):
        raise DecodeError("model name %r is not [a-z0-9][a-z0-9._-]{0,63}" % name)
    return name


def read_version(r):
    version = r.string(MAX_VERSION, "model version")
    if not VERSION_RE.fullmatch(version):
        raise DecodeError("model version %r is not [A-Za-z0-9][A-Za-z0-9._+-]{0,31}" % version)
    return version


def read_positive(r, what):
    v = r.u63(what)
    if v == 0:
        raise DecodeError("%s must be positive" % what)
    return v


def read_registration(r):
    """The RegisterModel fields shared by the transaction payload and the ModelVersion state value."""
    m = {}
    m["name"] = r.string(MAX_NAME, "model name")
    m["version"] = r.string(MAX_VERSION, "model version")
    m["artifactDigest"] = r.raw(32, "artifact digest").hex()
    m["artifactSize"] = r.u63("artifact size")
    m["format"] = r.string(32, "model format")
    m["license"] = r.string(128, "license")
    m["pricePerCall"] = r.u63("price per call")
    for field in ("parentModels", "datasets"):
        n = read_count(r, 16, field)
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


def u64_bytes(v):
    return v.to_bytes(8, "big")


PAYMENT_DOMAIN = b"maaschain/payment/v1\x00"
CHANNEL_DOMAIN = b"maaschain/channel/v1\x00"


def channel_id(chain_id, caller, host):
    """docs/receipts.md, "Payment channels": SHA-256 of the domain, the chain id and both addresses."""
    return sha256(CHANNEL_DOMAIN + u64_bytes(chain_id) + caller + host)


def payment_message(channel, authorised, request_digest):
    return PAYMENT_DOMAIN + channel + u64_bytes(authorised) + request_digest


def read_authorisation(r):
    """A payment authorisation: payer key 32, authorised u63 (> 0), request digest 32, signature 64."""
    payer = r.raw(32, "payer key")
    a = {"payer": payer.hex(), "authorised": read_positive(r, "authorised amount"),
         "requestDigest": r.raw(32, "request digest").hex(), "signature": r.raw(64, "payment signature").hex()}
    return a


def payer_address(a):
    return address_of(bytes.fromhex(a["payer"]))


def authorisation_verifies(a, chain_id, host):
    msg = payment_message(channel_id(chain_id, payer_address(a), host), a["authorised"], bytes.fromhex(a["requestDigest"]))
    return ed25519_verify(bytes.fromhex(a["payer"]), msg, bytes.fromhex(a["signature"]))


def read_payload(r, kind, tx):
    """Decodes the payload of one kind into tx (the field names of the REST API's transaction object)."""
    if kind == KIND_TRANSFER:
        tx["to"] = address_text(r.raw(20, "recipient"))
        tx["amount"] = read_positive(r, "transfer amount")
    elif kind in (KIND_REGISTER_MODEL, KIND_NEW_VERSION):
        tx["model"] = read_registration(r)
    elif kind == KIND_UPDATE_PERMISSIONS:
        for field, size in PERMISSION_LISTS:
            n = read_count(r, MAX_PERMISSION_ENTRIES, field)
            entries = [r.raw(size, field) for _ in range(n)]
            if len(set(entries)) != n:
                raise DecodeError("%s lists an entry twice" % field)
            tx[field] = [address_text(e) if size == 20 else e.hex() for e in entries]
        if not any(tx[f] for f, _ in PERMISSION_LISTS):
            raise DecodeError("a permission update must change something")
    elif kind == KIND_DEPRECATE:
        tx["name"] = read_name(r)
        tx["version"] = read_version(r)
    elif kind == KIND_SET_VISIBILITY:
        tx["name"] = read_name(r)
        tx["isPublic"] = read_bool(r, "public")
    elif kind == KIND_HOST_MODEL:
        tx["name"] = read_name(r)
        tx["version"] = read_version(r)
        tx["hostPrice"] = r.u63("host price")
    elif kind == KIND_GRANT_ACCESS:
        tx["name"] = read_name(r)
        tx["grantee"] = address_text(r.raw(20, "grantee"))
        tx["quota"] = read_positive(r, "quota")
        tx["expiryHeight"] = read_positive(r, "expiry height")
    elif kind == KIND_REVOKE_ACCESS:
        tx["name"] = read_name(r)
        tx["grantee"] = address_text(r.raw(20, "grantee"))
    elif kind in (KIND_DEPOSIT, KIND_WITHDRAW):
        tx["host"] = address_text(r.raw(20, "host"))
        tx["amount"] = read_positive(r, "amount")
    elif kind == KIND_RECEIPT_BATCH:
        first = r.u63("first seq")
        last = r.u63("last seq")
        tx["firstSeq"], tx["lastSeq"] = first, last
        tx["receiptsRoot"] = r.raw(32, "receipts root").hex()
        n = read_count(r, MAX_CHARGES, "charges")
        charges = []
        for _ in range(n):
            caller = address_text(r.raw(20, "caller"))
            name = read_name(r)
            version = read_version(r)
            calls = read_positive(r, "calls")
            key = r.raw(32, "spending key hash").hex() if read_bool(r, "has spending key") else None
            charges.append({"caller": caller, "name": name, "version": version, "calls": calls, "spendingKey": key})
        tx["charges"] = charges
        n = read_count(r, MAX_CHARGES, "authorisations")
        auths, payers = [], set()
        for _ in range(n):
            a = read_authorisation(r)
            if payer_address(a) in payers:
                raise DecodeError("a batch carries at most one authorisation per caller")
            payers.add(payer_address(a))
            auths.append(a)
        tx["authorisations"] = auths
        if last < first:
            raise DecodeError("receipt range must satisfy firstSeq <= lastSeq, got %d..%d" % (first, last))
        if last - first + 1 > MAX_RECEIPTS:
            raise DecodeError("a batch settles at most %d receipts, this one %d" % (MAX_RECEIPTS, last - first + 1))
        calls = sum(c["calls"] for c in charges)   # exact: Python integers do not overflow
        if calls > last - first + 1:
            raise DecodeError("charges bill %d calls but the batch has %d receipts" % (calls, last - first + 1))
    elif kind == KIND_ALLOW_SPENDING_KEY:
        tx["host"] = address_text(r.raw(20, "host"))
        tx["keyHash"] = r.raw(32, "key hash").hex()
        tx["cap"] = r.u63("cap")
        tx["expiryHeight"] = r.u63("expiry height")
    elif kind == KIND_STAKE:
        tx["amount"] = read_positive(r, "stake amount")
        tx["revealCommitment"] = r.raw(32, "reveal commitment").hex()
    elif kind == KIND_UNSTAKE:
        tx["amount"] = read_positive(r, "unstake amount")
    elif kind == KIND_EVIDENCE:
        tx["first"] = r.bytes(256, "evidence item").hex()
        tx["second"] = r.bytes(256, "evidence item").hex()
    elif kind == KIND_REGISTER_PRODUCER:
        tx["url"] = r.string(256, "producer url")
    elif kind == KIND_VOTE_PRODUCERS:
        n = read_count(r, 30, "producers")
        producers = [r.raw(20, "producer") for _ in range(n)]
        if len(set(producers)) != n:
            raise DecodeError("a vote lists a producer twice")
        tx["producers"] = [address_text(p) for p in producers]
    elif kind == KIND_SET_VALIDATOR:
        tx["validator"] = r.raw(32, "validator key").hex()
        tx["power"] = r.u63("power")
    elif kind == KIND_DEPLOY_CODE:
        code = r.bytes(MAX_CODE_BYTES, "code")
        if not code:
            raise DecodeError("code must not be empty")
        tx["codeHash"] = hashlib.sha256(code).hexdigest()
        tx["codeSize"] = len(code)
        tx["gasLimit"] = read_gas_limit(r)
    elif kind == KIND_INSTANTIATE:
        tx["codeHash"] = r.raw(32, "code hash").hex()
        tx["initArgs"] = r.bytes(MAX_CONTRACT_ARGS, "init arguments").hex()
        tx["value"] = r.u63("value")
        tx["gasLimit"] = read_gas_limit(r)
    elif kind == KIND_CALL_CONTRACT:
        tx["contract"] = address_text(r.raw(20, "contract"))
        function = r.string(64, "function")
        if not FUNCTION_RE.fullmatch(function):
            raise DecodeError("function name %r is not 1..64 ASCII letters, digits or _" % function)
        tx["function"] = function
        tx["args"] = r.bytes(MAX_CONTRACT_ARGS, "arguments").hex()
        tx["value"] = r.u63("value")
        tx["gasLimit"] = read_gas_limit(r)
    elif kind == KIND_SET_MODEL_POLICY:
        tx["name"] = read_name(r)
        present = r.u8("policy present")
        if present > 1:
            raise DecodeError("policy present must be 0 or 1")
        tx["policy"] = address_text(r.raw(20, "policy contract")) if present else None
    else:
        raise DecodeError("unknown payload kind %d" % kind)


def read_gas_limit(r):
    gas = r.u63("gas limit")
    if gas < 1 or gas > MAX_GAS_LIMIT:
        raise DecodeError("gas limit %d is outside 1..%d" % (gas, MAX_GAS_LIMIT))
    return gas


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
    if kind not in KIND_NAMES:
        raise DecodeError("unknown payload kind %d" % kind)
    tx["kind"] = KIND_NAMES[kind]
    read_payload(r, kind, tx)
    body_length = r.pos
    tx["signature"] = r.raw(64, "signature").hex()
    r.end()
    tx["_kind"] = kind
    tx["_body"] = data[:body_length]
    tx["_senderKey"] = sender_key
    tx["_senderAddress"] = address_of(sender_key)
    tx["_signature"] = bytes.fromhex(tx["signature"])
    return tx


def tx_signature_valid(tx):
    return ed25519_verify(tx["_senderKey"], TX_DOMAIN_TAG + tx["_body"], tx["_signature"])


# ---------------------------------------------------------------------------------------------------------
# Headers, blocks and proof of work (docs/spec.md, "Block header", "Block", "Proof of work").

HEADER_LENGTH = 150
MAX_HEADER_BYTES = 49152
MAX_BLOCK_BYTES = 64 * 1024 * 1024
SEAL_POW = 1
SEAL_VALIDATOR = 2
MAX_SEAL_VOTES = 256
VOTE_DOMAIN = b"maaschain/vote/v1"
VOTE_CHECKPOINT, VOTE_PREVOTE, VOTE_PRECOMMIT, VOTE_PROPOSAL = 1, 2, 3, 4


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
    if seal == SEAL_POW:
        h["bits"] = "0x%08x" % r.u32("pow bits")
        h["nonce"] = str(r.u64("pow nonce"))
    elif seal == SEAL_VALIDATOR:
        h["slot"] = r.u63("slot")
        h["proposerKey"] = r.raw(32, "proposer key")
        h["reveal"] = r.raw(32, "reveal").hex()
        h["votes"] = [read_vote(r) for _ in range(read_count(r, MAX_SEAL_VOTES, "seal votes"))]
        h["signature"] = r.raw(64, "seal signature")
        # The proposer signs a proposal statement over SHA-256 of everything but the signature (consensus.md).
        h["digest"] = sha256(data[:-64])
    else:
        raise DecodeError("unknown seal kind %d" % seal)
    r.end()
    return h


def read_vote(r):
    """One vote encoding (consensus.md, "Votes"): type, body, validator key, signature."""
    start = r.pos
    vtype = r.u8("vote type")
    if vtype == VOTE_CHECKPOINT:
        source = r.u63("source epoch")
        r.raw(32, "source hash")
        target = r.u63("target epoch")
        r.raw(32, "target hash")
        if target <= source:
            raise DecodeError("a checkpoint vote's target epoch must exceed its source epoch")
    elif vtype in (VOTE_PREVOTE, VOTE_PRECOMMIT):
        if r.u63("vote height") < 1:
            raise DecodeError("round vote height must be >= 1")
        if r.u32("vote round") > 2**31 - 1:
            raise DecodeError("vote round too large")
        r.raw(32, "block hash")
    elif vtype == VOTE_PROPOSAL:
        if r.u63("proposal height") < 1:
            raise DecodeError("proposal height must be >= 1")
        r.u63("proposal slot")
        r.raw(32, "header digest")
    else:
        raise DecodeError("unknown vote type %d" % vtype)
    body = r.data[start:r.pos]
    return {"body": body, "key": r.raw(32, "validator key"), "signature": r.raw(64, "vote signature")}


def vote_message(chain_id, body):
    """What a vote's signature signs: domain, chain id, then type and body."""
    return VOTE_DOMAIN + chain_id.to_bytes(8, "big") + body


def validator_seal_valid(h, chain_id):
    """The proposer key matches the proposer address, the proposal statement and every carried vote verify."""
    if address_text(address_of(h["proposerKey"])) != h["proposer"]:
        return False, "the proposer key's address is not the header's proposer"
    statement = bytes([VOTE_PROPOSAL]) + h["height"].to_bytes(8, "big") + h["slot"].to_bytes(8, "big") + h["digest"]
    if not ed25519_verify(h["proposerKey"], vote_message(chain_id, statement), h["signature"]):
        return False, "the proposer's signature does not verify"
    for n, v in enumerate(h["votes"]):
        if not ed25519_verify(v["key"], vote_message(chain_id, v["body"]), v["signature"]):
            return False, "carried vote %d does not verify" % n
    return True, "valid"


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
STATE_DEPRECATED = 0x04
STATE_VISIBILITY = 0x05
STATE_HOST = 0x06
STATE_GRANT = 0x07
STATE_ESCROW = 0x08
STATE_SETTLEMENT = 0x09
STATE_ALLOWANCE = 0x0A
STATE_PERMISSIONED = 0x10
STATE_ALLOWED_ACCOUNT = 0x11
STATE_ALLOWED_NODE = 0x12
STATE_ADMIN = 0x13
STATE_ADMIN_COUNT = 0x14

# Records whose value is a fixed sequence of u63 fields: type -> (name, field names).
U63_RECORDS = {
    STATE_ACCOUNT: ("account", ("balance", "nonce")),
    STATE_DEPRECATED: ("deprecated", ("deprecatedAtHeight",)),
    STATE_HOST: ("host", ("hostPrice", "sinceHeight", "pendingPrice", "pendingFrom")),
    STATE_GRANT: ("grant", ("quota", "used", "expiryHeight")),
    STATE_ESCROW: ("escrow", ("balance", "pendingWithdrawal", "unlockHeight", "settled")),
    STATE_ALLOWANCE: ("allowance", ("cap", "spent", "expiryHeight")),
    STATE_SETTLEMENT: ("settlement", ("nextSeq", "batches")),
    STATE_ADMIN_COUNT: ("admin_count", ("adminCount",)),
}
# Records whose value is the single byte 01 (the key's presence is the information).
FLAG_RECORDS = {STATE_VISIBILITY: "public_model", STATE_PERMISSIONED: "permissioned",
                STATE_ALLOWED_ACCOUNT: "allowed_account", STATE_ALLOWED_NODE: "allowed_node", STATE_ADMIN: "admin"}


def decode_state_key(key):
    r = Reader(key)
    t = r.u8("state key type")
    if t == STATE_ACCOUNT:
        out = {"type": "account", "address": address_text(r.raw(20, "address"))}
    elif t == STATE_MODEL_VERSION:
        out = {"type": "model_version", "name": read_name(r), "version": read_version(r)}
    elif t == STATE_MODEL_NAME:
        out = {"type": "model_name", "name": read_name(r)}
    elif t == STATE_DEPRECATED:
        out = {"type": "deprecated", "name": read_name(r), "version": read_version(r)}
    elif t == STATE_VISIBILITY:
        out = {"type": "public_model", "name": read_name(r)}
    elif t == STATE_HOST:
        out = {"type": "host", "name": read_name(r), "version": read_version(r), "host": address_text(r.raw(20, "host"))}
    elif t == STATE_GRANT:
        out = {"type": "grant", "name": read_name(r), "grantee": address_text(r.raw(20, "grantee"))}
    elif t == STATE_ESCROW:
        out = {"type": "escrow", "caller": address_text(r.raw(20, "escrow caller")),
               "host": address_text(r.raw(20, "escrow host"))}
    elif t == STATE_SETTLEMENT:
        out = {"type": "settlement", "host": address_text(r.raw(20, "host"))}
    elif t == STATE_ALLOWANCE:
        out = {"type": "allowance", "account": address_text(r.raw(20, "allowance account")),
               "host": address_text(r.raw(20, "allowance host")), "keyHash": r.raw(32, "key hash").hex()}
    elif t == STATE_PERMISSIONED:
        out = {"type": "permissioned"}
    elif t in (STATE_ALLOWED_ACCOUNT, STATE_ADMIN):
        out = {"type": FLAG_RECORDS[t], "address": address_text(r.raw(20, "address"))}
    elif t == STATE_ALLOWED_NODE:
        out = {"type": "allowed_node", "nodeKey": r.raw(32, "node key").hex()}
    elif t == STATE_ADMIN_COUNT:
        out = {"type": "admin_count"}
    else:
        raise DecodeError("unknown state key type 0x%02x" % t)
    r.end()
    out["_type"] = t
    return out


def decode_state_value(key_info, value):
    r = Reader(value)
    t = key_info["_type"]
    if t in U63_RECORDS:
        out = {f: r.u63(f) for f in U63_RECORDS[t][1]}
    elif t in FLAG_RECORDS:
        if value != b"\x01":
            raise DecodeError("a %s record's value is the byte 01, got %s" % (key_info["type"], value.hex()))
        r.raw(1, "flag")
        out = {"present": True}
    elif t == STATE_MODEL_VERSION:
        out = {"owner": address_text(r.raw(20, "owner"))}
        out.update(read_registration(r))
        out["registeredAtHeight"] = r.u63("registered at height")
        if (out["name"], out["version"]) != (key_info["name"], key_info["version"]):
            raise DecodeError("model version value names %s/%s but its key is %s/%s"
                              % (out["name"], out["version"], key_info["name"], key_info["version"]))
    else:
        out = {"owner": address_text(r.raw(20, "owner")), "latestVersion": r.string(MAX_VERSION, "latest version"),
               "versionCount": r.u63("version count")}
    r.end()
    return out


def encode_u63s(*values):
    return b"".join(v.to_bytes(8, "big") for v in values)


def encode_string(s):
    b = s.encode("utf-8")
    return len(b).to_bytes(4, "big") + b


def account_key(addr):
    return bytes([STATE_ACCOUNT]) + addr


def model_version_key(name, version):
    return bytes([STATE_MODEL_VERSION]) + encode_string(name) + encode_string(version)


def model_name_key(name):
    return bytes([STATE_MODEL_NAME]) + encode_string(name)


def deprecated_key(name, version):
    return bytes([STATE_DEPRECATED]) + encode_string(name) + encode_string(version)


def visibility_key(name):
    return bytes([STATE_VISIBILITY]) + encode_string(name)


def host_key(name, version, host):
    return bytes([STATE_HOST]) + encode_string(name) + encode_string(version) + host


def grant_key(name, grantee):
    return bytes([STATE_GRANT]) + encode_string(name) + grantee


def escrow_key(caller, host):
    return bytes([STATE_ESCROW]) + caller + host


def allowance_key(account, host, key_hash):
    return bytes([STATE_ALLOWANCE]) + account + host + key_hash


def settlement_key(addr):
    return bytes([STATE_SETTLEMENT]) + addr


PERMISSIONED_KEY = bytes([STATE_PERMISSIONED])
ADMIN_COUNT_KEY = bytes([STATE_ADMIN_COUNT])


def allowed_account_key(addr):
    return bytes([STATE_ALLOWED_ACCOUNT]) + addr


def allowed_node_key(node_key):
    return bytes([STATE_ALLOWED_NODE]) + node_key


def admin_key(addr):
    return bytes([STATE_ADMIN]) + addr


# ---------------------------------------------------------------------------------------------------------
# Genesis (docs/spec.md, "Genesis").

GENESIS_FIELDS = {"chainId", "timestamp", "minTxFee", "maxBlockTransactions", "maxBlockBytes", "consensus", "alloc",
                  "permissioned"}
POW_FIELDS = {"kind", "powLimitBits", "initialBits", "targetBlockTimeMillis", "retargetInterval", "noRetargeting",
              "blockReward"}
PERMISSIONED_FIELDS = {"admins", "accounts", "nodes"}
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
    if not isinstance(text, str) or not re.fullmatch(r"mc[0-9a-f]{40}", text):
        raise DecodeError("an address is 'mc' followed by 40 lower-case hex digits: %r" % (text,))
    return bytes.fromhex(text[2:])


def parse_node_key(text):
    """A node public key in the genesis file: 64 hex digits of either case, optionally after "0x" or "0X"."""
    if not isinstance(text, str) or not re.fullmatch(r"(0[xX])?[0-9a-fA-F]{64}", text):
        raise DecodeError("a node key is 64 hex digits: %r" % (text,))
    return bytes.fromhex(text[-64:])


def genesis_strings(section, field):
    value = section.get(field, [])
    if not isinstance(value, list) or not all(isinstance(e, str) for e in value):
        raise DecodeError("permissioned '%s' must be an array of strings" % field)
    return value


def genesis_permission_entries(section):
    """The state entries a genesis 'permissioned' section creates."""
    if not isinstance(section, dict):
        raise DecodeError("'permissioned' must be an object with admins, accounts and nodes")
    unknown = set(section) - PERMISSIONED_FIELDS
    if unknown:
        raise DecodeError("unknown permissioned field(s) %s" % sorted(unknown))
    admins = [parse_address(a) for a in genesis_strings(section, "admins")]
    accounts = [parse_address(a) for a in genesis_strings(section, "accounts")]
    nodes = [parse_node_key(k) for k in genesis_strings(section, "nodes")]
    if not admins:
        raise DecodeError("a permissioned chain needs at least one admin")
    state = {PERMISSIONED_KEY: b"\x01", ADMIN_COUNT_KEY: encode_u63s(len(set(admins)))}
    for a in admins:
        state[admin_key(a)] = b"\x01"
    for a in accounts:
        state[allowed_account_key(a)] = b"\x01"
    for k in nodes:
        state[allowed_node_key(k)] = b"\x01"
    return state


def parse_genesis(text):
    """The genesis header encoding, the chain rules and the genesis state the genesis file determines."""
    if len(text.encode("utf-8")) > 4 * 1024 * 1024:
        raise DecodeError("the genesis file is larger than 4 MiB")
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
    rules = {"chainId": genesis_integer(g["chainId"], "chainId"),
             "minTxFee": genesis_integer(g.get("minTxFee", 1), "minTxFee"),
             "maxBlockTransactions": genesis_integer(g.get("maxBlockTransactions", 50000), "maxBlockTransactions"),
             "maxBlockBytes": genesis_integer(g.get("maxBlockBytes", 16777216), "maxBlockBytes")}
    if not 1 <= rules["maxBlockTransactions"] <= 2**31 - 1:
        raise DecodeError("'maxBlockTransactions' must be in 1..2^31-1")
    if not 1024 <= rules["maxBlockBytes"] <= MAX_BLOCK_BYTES // 2:
        raise DecodeError("'maxBlockBytes' must be in 1024..%d" % (MAX_BLOCK_BYTES // 2))
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
    if "blockReward" not in consensus:
        raise DecodeError("missing required consensus field 'blockReward'")
    rules["blockReward"] = genesis_integer(consensus["blockReward"], "blockReward")
    alloc = g.get("alloc", {})
    if not isinstance(alloc, dict):
        raise DecodeError("'alloc' must map addresses to balances")
    state = {}
    for text_address, balance in alloc.items():
        state[account_key(parse_address(text_address))] = encode_u63s(genesis_integer(balance, "alloc." + text_address), 0)
    if sum(int.from_bytes(v[:8], "big") for v in state.values()) > U63_MAX:
        raise DecodeError("total supply exceeds 2^63-1")
    if "permissioned" in g:
        state.update(genesis_permission_entries(g["permissioned"]))
    root = smt_root([(sha256(k), sha256(v)) for k, v in state.items()])
    # The parent-hash field of the genesis header is SHA-256 of the genesis file's exact UTF-8 bytes.
    header = (b"\x01" + bytes(8) + sha256(text.encode("utf-8")) + timestamp.to_bytes(8, "big") + sha256(b"") + root
              + bytes(20) + bytes(4) + b"\x01" + int(bits, 16).to_bytes(4, "big") + bytes(8))
    return header, rules, state


# ---------------------------------------------------------------------------------------------------------
# The state transition (docs/spec.md, "State transition").

ESCROW_TIMEOUT_BLOCKS = 20
HOST_PRICE_DELAY_BLOCKS = 2 * ESCROW_TIMEOUT_BLOCKS


def host_price_at(host_record, height):
    """The host price in force at a height: a pending raise once its block is reached, else hostPrice."""
    host_price, _since, pending_price, pending_from = host_record
    return pending_price if pending_from != 0 and height >= pending_from else host_price


class Rejected(Exception):
    """A transaction that cannot apply; the block that carries it is invalid. args: (code, message)."""


def checked_add(a, b):
    if a + b > U63_MAX:
        raise Rejected("OVERFLOW", "amount overflows 2^63-1")
    return a + b


def u63_fields(value, n):
    return [int.from_bytes(value[8 * i:8 * i + 8], "big") for i in range(n)]


class Execution:
    """Applies the transactions of one block to a copy of its parent's state, exactly as the spec's rules say."""

    def __init__(self, rules, state, height):
        self.rules = rules
        self.state = dict(state)
        self.height = height

    def get(self, key):
        return self.state.get(key)

    def put(self, key, value):
        self.state[key] = value

    def delete(self, key):
        self.state.pop(key, None)

    def account(self, addr):
        v = self.get(account_key(addr))
        return (0, 0) if v is None else tuple(u63_fields(v, 2))

    def set_account(self, addr, balance, nonce):
        self.put(account_key(addr), encode_u63s(balance, nonce))

    def credit(self, addr, amount):
        if amount == 0:
            return
        balance, nonce = self.account(addr)
        self.set_account(addr, checked_add(balance, amount), nonce)

    def escrow(self, caller, host):
        """The channel record: balance, pendingWithdrawal, unlockHeight, settled."""
        v = self.get(escrow_key(caller, host))
        return (0, 0, 0, 0) if v is None else tuple(u63_fields(v, 4))

    def model_name(self, name):
        v = self.get(model_name_key(name))
        if v is None:
            raise Rejected("MODEL_NOT_FOUND", "model %r is not registered" % name)
        return decode_state_value({"_type": STATE_MODEL_NAME}, v)

    def model_version(self, name, version):
        v = self.get(model_version_key(name, version))
        if v is None:
            raise Rejected("MODEL_NOT_FOUND", "model %r has no version %r" % (name, version))
        return decode_state_value({"_type": STATE_MODEL_VERSION, "name": name, "version": version}, v)

    @staticmethod
    def require_owner(owner_text, sender, name):
        if owner_text != address_text(sender):
            raise Rejected("NOT_MODEL_OWNER", "model %r belongs to %s" % (name, owner_text))

    def apply_block(self, txs, proposer):
        if self.get(PERMISSIONED_KEY) is not None and self.get(allowed_account_key(proposer)) is None \
                and self.get(admin_key(proposer)) is None:
            # A proof-of-work block's proposer must be a member (spec.md, "Per block").
            raise Rejected("PROPOSER_NOT_ALLOWED", "proposer %s is not a member" % address_text(proposer))
        fees = 0
        for i, tx in enumerate(txs):
            try:
                self.apply(tx)
            except Rejected as e:
                raise Rejected(e.args[0], "transaction %d: %s" % (i, e.args[1]))
            fees = checked_add(fees, tx["fee"])
        self.credit(proposer, checked_add(self.rules["blockReward"], fees))

    def apply(self, tx):
        rules, sender, kind = self.rules, tx["_senderAddress"], tx["_kind"]
        if kind in CONTRACT_KINDS:
            raise Rejected("NOT_REEXECUTED", "contract kinds 24-27 run WebAssembly; this verifier decodes them but does not "
                           "re-execute a block that holds one (docs/contracts.md)")
        if tx["chainId"] != rules["chainId"]:
            raise Rejected("WRONG_CHAIN", "chain id %d" % tx["chainId"])
        if tx["fee"] < rules["minTxFee"]:
            raise Rejected("FEE_TOO_LOW", "fee %d" % tx["fee"])
        if KIND_STAKE <= kind <= KIND_SET_VALIDATOR:
            # The consensus payloads: a proof-of-work chain, the only kind this verifier re-executes, accepts none.
            raise Rejected("UNSUPPORTED_PAYLOAD", "payload kind %d on a proof-of-work chain" % kind)
        if not tx_signature_valid(tx):
            raise Rejected("BAD_SIGNATURE", "signature does not verify")
        permissioned = self.get(PERMISSIONED_KEY) is not None
        is_admin = permissioned and self.get(admin_key(sender)) is not None
        if permissioned and self.get(allowed_account_key(sender)) is None and not is_admin:
            raise Rejected("SENDER_NOT_ALLOWED", "%s is not a member" % address_text(sender))
        if kind == KIND_UPDATE_PERMISSIONS and not is_admin:
            raise Rejected("NOT_ADMIN", "%s is not an admin of a permissioned chain" % address_text(sender))
        balance, nonce = self.account(sender)
        if tx["nonce"] != nonce:
            raise Rejected("NONCE_TOO_LOW" if tx["nonce"] < nonce else "NONCE_TOO_HIGH",
                           "nonce %d, the account's is %d" % (tx["nonce"], nonce))
        cost = checked_add(tx["fee"], tx["amount"] if kind in (KIND_TRANSFER, KIND_DEPOSIT) else 0)
        if balance < cost:
            raise Rejected("INSUFFICIENT_BALANCE", "balance %d is below the cost %d" % (balance, cost))
        self.set_account(sender, balance - cost, nonce + 1)
        getattr(self, "apply_" + tx["kind"])(tx, sender)

    def apply_transfer(self, tx, sender):
        self.credit(parse_address(tx["to"]), tx["amount"])

    def apply_register_model(self, tx, sender, must_exist=False):
        m = tx["model"]
        existing = self.get(model_name_key(m["name"]))
        if must_exist and existing is None:
            raise Rejected("MODEL_NOT_FOUND", "model %r is not registered" % m["name"])
        versions = 0
        if existing is not None:
            name = decode_state_value({"_type": STATE_MODEL_NAME}, existing)
            self.require_owner(name["owner"], sender, m["name"])
            versions = name["versionCount"]
        key = model_version_key(m["name"], m["version"])
        if self.get(key) is not None:
            raise Rejected("MODEL_VERSION_EXISTS", "%s/%s exists" % (m["name"], m["version"]))
        # The value is the owner, the nine fields exactly as the payload carries them, and the height.
        registration = tx["_body"][58:]
        self.put(key, sender + registration + encode_u63s(self.height))
        self.put(model_name_key(m["name"]), sender + encode_string(m["version"]) + encode_u63s(versions + 1))

    def apply_new_version(self, tx, sender):
        self.apply_register_model(tx, sender, must_exist=True)

    def apply_update_permissions(self, tx, sender):
        for a in tx["addAccounts"]:
            self.put(allowed_account_key(parse_address(a)), b"\x01")
        for a in tx["removeAccounts"]:
            self.delete(allowed_account_key(parse_address(a)))
        for k in tx["addNodes"]:
            self.put(allowed_node_key(bytes.fromhex(k)), b"\x01")
        for k in tx["removeNodes"]:
            self.delete(allowed_node_key(bytes.fromhex(k)))
        count = self.get(ADMIN_COUNT_KEY)
        admins = 0 if count is None else u63_fields(count, 1)[0]
        for a in tx["addAdmins"]:
            key = admin_key(parse_address(a))
            if self.get(key) is None:
                admins += 1
            self.put(key, b"\x01")
        for a in tx["removeAdmins"]:
            key = admin_key(parse_address(a))
            if self.get(key) is not None:
                admins -= 1
            self.delete(key)
        if admins < 1:
            raise Rejected("NOT_ADMIN", "the update would remove the last admin")
        self.put(ADMIN_COUNT_KEY, encode_u63s(admins))

    def apply_deprecate(self, tx, sender):
        v = self.model_version(tx["name"], tx["version"])
        self.require_owner(v["owner"], sender, tx["name"])
        self.put(deprecated_key(tx["name"], tx["version"]), encode_u63s(self.height))

    def apply_set_visibility(self, tx, sender):
        self.require_owner(self.model_name(tx["name"])["owner"], sender, tx["name"])
        if tx["isPublic"]:
            self.put(visibility_key(tx["name"]), b"\x01")
        else:
            self.delete(visibility_key(tx["name"]))

    def apply_host_model(self, tx, sender):
        model = self.model_version(tx["name"], tx["version"])
        if self.get(deprecated_key(tx["name"], tx["version"])) is not None:
            raise Rejected("MODEL_DEPRECATED", "%s/%s is deprecated" % (tx["name"], tx["version"]))
        if (self.get(visibility_key(tx["name"])) is None and model["owner"] != address_text(sender)
                and self.get(grant_key(tx["name"], sender)) is None):
            raise Rejected("HOST_NOT_APPROVED", "%s is private and %s holds no grant" % (tx["name"], address_text(sender)))
        key = host_key(tx["name"], tx["version"], sender)
        old = self.get(key)
        price = tx["hostPrice"]
        if old is None:
            record = (price, self.height, 0, 0)
        else:
            current = u63_fields(old, 4)
            since, now = current[1], host_price_at(current, self.height)
            if price <= now:
                record = (price, since, 0, 0)      # a cut (or the same price) applies at once
            else:
                record = (now, since, price, self.height + HOST_PRICE_DELAY_BLOCKS)   # a raise waits
        self.put(key, encode_u63s(*record))

    def apply_grant_access(self, tx, sender):
        self.require_owner(self.model_name(tx["name"])["owner"], sender, tx["name"])
        if tx["expiryHeight"] <= self.height:
            raise Rejected("GRANT_EXPIRED", "grant expiry height %d has passed" % tx["expiryHeight"])
        key = grant_key(tx["name"], parse_address(tx["grantee"]))
        old = self.get(key)
        used = 0 if old is None else u63_fields(old, 3)[1]
        self.put(key, encode_u63s(tx["quota"], min(used, tx["quota"]), tx["expiryHeight"]))

    def apply_revoke_access(self, tx, sender):
        self.require_owner(self.model_name(tx["name"])["owner"], sender, tx["name"])
        key = grant_key(tx["name"], parse_address(tx["grantee"]))
        if self.get(key) is None:
            raise Rejected("GRANT_NOT_FOUND", "no grant")
        self.delete(key)

    def apply_deposit(self, tx, sender):
        host = parse_address(tx["host"])
        balance, pending, unlock, settled = self.escrow(sender, host)
        self.put(escrow_key(sender, host), encode_u63s(checked_add(balance, tx["amount"]), pending, unlock, settled))

    def apply_withdraw(self, tx, sender):
        host = parse_address(tx["host"])
        key = escrow_key(sender, host)
        balance, pending, unlock, settled = self.escrow(sender, host)
        if unlock == 0:
            if tx["amount"] > balance:
                raise Rejected("INSUFFICIENT_ESCROW", "escrow holds %d" % balance)
            self.put(key, encode_u63s(balance, tx["amount"], self.height + ESCROW_TIMEOUT_BLOCKS, settled))
            return
        if self.height < unlock:
            raise Rejected("WITHDRAWAL_LOCKED", "unlocks at height %d" % unlock)
        if tx["amount"] < pending:
            raise Rejected("WITHDRAWAL_MISMATCH", "the pending withdrawal is %d, more than %d" % (pending, tx["amount"]))
        paid = min(pending, balance)
        self.put(key, encode_u63s(balance - paid, 0, 0, settled))
        self.credit(sender, paid)

    def apply_allow_spending_key(self, tx, sender):
        key = allowance_key(sender, parse_address(tx["host"]), bytes.fromhex(tx["keyHash"]))
        old = self.get(key)
        spent = 0 if old is None else u63_fields(old, 3)[1]
        self.put(key, encode_u63s(tx["cap"], spent, tx["expiryHeight"]))

    def apply_receipt_batch(self, tx, host):
        """docs/receipts.md, "Settlement rule"."""
        cursor = self.get(settlement_key(host))
        next_seq, batches = (0, 0) if cursor is None else u63_fields(cursor, 2)
        if tx["firstSeq"] != next_seq:
            raise Rejected("BATCH_OUT_OF_ORDER", "batch starts at %d, next is %d" % (tx["firstSeq"], next_seq))
        budget = {}                           # caller -> what its authorisation still lets the host take
        for a in tx["authorisations"]:
            if not authorisation_verifies(a, self.rules["chainId"], host):
                raise Rejected("BAD_AUTHORISATION", "the authorisation of %s does not verify" % address_text(payer_address(a)))
            settled = self.escrow(payer_address(a), host)[3]
            if a["authorised"] <= settled:
                raise Rejected("AUTHORISATION_REPLAYED", "authorises %d, %d already settled" % (a["authorised"], settled))
            budget[payer_address(a)] = a["authorised"] - settled
        for c in tx["charges"]:
            model = self.model_version(c["name"], c["version"])
            hosting = self.get(host_key(c["name"], c["version"], host))
            if hosting is None:
                raise Rejected("NOT_HOSTING", "%s does not host %s/%s" % (address_text(host), c["name"], c["version"]))
            model_price = model["pricePerCall"]
            price = checked_add(model_price, host_price_at(u63_fields(hosting, 4), self.height))
            due = price * c["calls"]
            if due > U63_MAX:
                raise Rejected("OVERFLOW", "charge overflows 2^63-1")
            caller = parse_address(c["caller"])
            ekey = escrow_key(caller, host)   # only the channel the caller holds with this host pays
            balance, pending, unlock, settled = self.escrow(caller, host)
            akey, allowance = None, None
            if c["spendingKey"] is None:
                bound = budget.get(caller, 0)  # no authorisation: nothing
            else:
                akey = allowance_key(caller, host, bytes.fromhex(c["spendingKey"]))
                v = self.get(akey)
                allowance = None if v is None else u63_fields(v, 3)
                cap, spent, expiry = allowance if allowance else (0, 0, 0)
                bound = 0 if allowance is None or self.height >= expiry else max(0, cap - spent)
            paid = min(due, bound, balance)
            if paid > 0:
                left = balance - paid
                pending_left = min(pending, left)
                if c["spendingKey"] is None:
                    settled += paid
                    budget[caller] = bound - paid
                else:
                    self.put(akey, encode_u63s(allowance[0], allowance[1] + paid, allowance[2]))
                self.put(ekey, encode_u63s(left, pending_left, 0 if pending_left == 0 else unlock, settled))
            owner_share = 0 if price == 0 else paid * model_price // price   # exact integers
            self.credit(parse_address(model["owner"]), owner_share)
            self.credit(host, paid - owner_share)
            gkey = grant_key(c["name"], caller)
            grant = self.get(gkey)
            if grant is not None:
                quota, used, expiry = u63_fields(grant, 3)
                self.put(gkey, encode_u63s(quota, min(quota, checked_add(used, c["calls"])), expiry))
        self.put(settlement_key(host), encode_u63s(tx["lastSeq"] + 1, batches + 1))


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
    what = "transaction[%d] (%s %s nonce %d)" % (i, tx["kind"], tx["sender"], tx["nonce"])
    if not tx_signature_valid(tx):
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


def check_invalid_transaction(c, i, t):
    """A signed encoding the reference implementation refuses: it must break a decoding rule."""
    what = "invalidTransaction[%d]" % i
    try:
        encoded = unhex(t["encoded"], what + ".encoded")
    except (DecodeError, KeyError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    if t.get("note"):
        what += " (%s)" % t["note"]
    try:
        decode_transaction(encoded)
    except DecodeError:
        c.ok()
        return
    c.fail(what, "decodes, but the code refuses it: a decoding rule is missing from the specification or the verifier")


def check_block(c, i, b, headers, bodies):
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
        good = True
        if inner != header_bytes:
            c.fail(what, "the block encoding carries a different header")
            good = False
        root = mt_root([sha256(tx["_body"] + tx["_signature"]) for tx in txs])
        if root.hex() != h["txRoot"]:
            c.fail(what, "Merkle root of its %d transactions is %s, the header says %s"
                   % (len(txs), root.hex(), h["txRoot"]))
            good = False
        else:
            c.ok()
        for j, tx in enumerate(txs):
            if not tx_signature_valid(tx):
                c.fail(what, "transaction %d in the block has a bad signature" % j)
                good = False
        if good and block_hash.hex() in headers and h["height"] > 0:
            bodies[block_hash.hex()] = txs


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


def check_state_dump(c, i, s, headers, dumps):
    what = "state[%d]" % i
    try:
        h = headers.get(s["blockHash"])
        if h is None:
            c.fail(what, "block %s is not among the verified blocks" % s["blockHash"])
            return
        entries = []
        state = {}
        for e in s["entries"]:
            k = unhex(e["key"], what + ".key")
            v = unhex(e["value"], what + ".value")
            decode_state_value(decode_state_key(k), v)
            entries.append((sha256(k), sha256(v)))
            state[k] = v
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
        dumps[s["blockHash"]] = state


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


def check_validator_header(c, i, v):
    """A header with a validator seal: its hash, and whether its signatures make it valid, as the fixture says."""
    what = "validatorHeader[%d] (%s)" % (i, v.get("note", ""))
    try:
        data = unhex(v["header"], what + ".header")
        chain_id = v["chainId"]
        expected = v["valid"]
        h = decode_header(data)
    except (DecodeError, KeyError) as e:
        c.fail(what, "malformed: %s" % e)
        return
    if sha256d(data).hex() != v["hash"]:
        c.fail(what, "block hash %s, the fixture says %s" % (sha256d(data).hex(), v["hash"]))
        return
    valid, reason = validator_seal_valid(h, chain_id)
    if valid != expected:
        c.fail(what, "the seal is %s (%s), the fixture says %s" % ("valid" if valid else "invalid", reason, "valid" if expected else "invalid"))
    else:
        c.ok()


def check_genesis(c, i, g, headers, chains, dumps):
    what = "genesis[%d]" % i
    try:
        header_bytes, rules, state = parse_genesis(g["json"])
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "the genesis file is not valid: %s" % e)
        return
    block_hash = sha256d(header_bytes).hex()
    if block_hash != g.get("hash"):
        c.fail(what, "the genesis file gives genesis hash %s, the fixture says %s" % (block_hash, g.get("hash")))
    else:
        c.ok()
        headers[block_hash] = decode_header(header_bytes)
        chains[block_hash] = rules
        dumps[block_hash] = state


def check_execution(c, headers, bodies, chains, dumps):
    """Re-executes every block whose parent's complete state is known (from its genesis file or a verified state
    dump) by the state-transition rules, and compares the result with the state root in its header."""
    executed = 0
    for block_hash, txs in bodies.items():
        h = headers[block_hash]
        parent = h["parentHash"]
        if parent not in dumps or parent not in headers:
            continue
        genesis = parent
        while headers[genesis]["height"] > 0:
            genesis = headers[genesis]["parentHash"]
            if genesis not in headers:
                break
        rules = chains.get(genesis)
        what = "block at height %d (%s)" % (h["height"], block_hash)
        if rules is None:
            continue
        if h["height"] != headers[parent]["height"] + 1:
            c.fail(what, "height %d follows a parent at height %d" % (h["height"], headers[parent]["height"]))
            continue
        if len(txs) > rules["maxBlockTransactions"]:
            c.fail(what, "%d transactions, the chain allows %d" % (len(txs), rules["maxBlockTransactions"]))
        size = sum(len(tx["_body"]) + 64 for tx in txs)
        if size > rules["maxBlockBytes"]:
            c.fail(what, "%d bytes of transactions, the chain allows %d" % (size, rules["maxBlockBytes"]))
        ex = Execution(rules, dumps[parent], h["height"])
        try:
            ex.apply_block(txs, parse_address(h["proposer"]))
        except Rejected as e:
            c.fail(what, "does not execute on its parent's state: %s %s" % e.args)
            continue
        root = smt_root([(sha256(k), sha256(v)) for k, v in ex.state.items()]).hex()
        if root != h["stateRoot"]:
            c.fail(what, "re-executing its %d transactions gives state root %s, the header says %s"
                   % (len(txs), root, h["stateRoot"]))
        else:
            c.ok()
            executed += 1
    return executed


def geneses(fixture):
    g = fixture.get("genesis", [])
    return [g] if isinstance(g, dict) else g


# ---------------------------------------------------------------------------------------------------------
# Inference receipts and their proofs (docs/receipts.md).

RECEIPT_DOMAIN = b"maaschain/receipt/v1\x00"
MAX_RECEIPT_BYTES = 640
MAX_PROOF_PATH = 64
ERROR_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def decode_receipt(data):
    """docs/receipts.md, "Encoding": strict, every rule of the table."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise DecodeError("receipt is %d bytes, limit %d" % (len(data), MAX_RECEIPT_BYTES))
    r = Reader(data)
    version = r.u8("receipt format version")
    if version not in (1, 2):
        raise DecodeError("unknown receipt format version %d" % version)
    rc = {"chainId": r.u63("chain id")}
    node_key = r.raw(32, "node key")
    node = r.raw(20, "node address")
    if node != address_of(node_key):
        raise DecodeError("the node address is not the address of the node key")
    rc["nodeKey"], rc["node"] = node_key.hex(), address_text(node)
    rc["seq"] = r.u63("seq")
    rc["timestamp"] = r.u63("timestamp")
    rc["model"] = r.string(128, "model name")
    if len(rc["model"].encode("utf-8")) < 1:
        raise DecodeError("the model name is empty")
    rc["version"] = r.string(32, "model version")
    rc["artifactDigest"] = r.raw(32, "artifact digest").hex() if read_bool(r, "has digest") else None
    if (rc["version"] == "") != (rc["artifactDigest"] is None):
        raise DecodeError("a receipt names a version and its digest together, or neither")
    rc["caller"] = address_text(r.raw(20, "caller")) if read_bool(r, "has caller") else None
    rc["requestHash"] = r.raw(32, "request hash").hex() if read_bool(r, "has request hash") else None
    rc["status"] = r.u16("status")
    if not 100 <= rc["status"] <= 599:
        raise DecodeError("status %d is not an HTTP status" % rc["status"])
    if rc["status"] == 200:
        rc["responseHash"] = r.raw(32, "response hash").hex()
    else:
        code = r.string(32, "error code")
        if not code or not ("A" <= code[0] <= "Z") or any(ch not in ERROR_CODE_CHARS for ch in code):
            raise DecodeError("error code %r does not match [A-Z][A-Z0-9_]{0,31}" % code)
        rc["errorCode"] = code
        rc["errorMessageHash"] = r.raw(32, "error message hash").hex()
    rc["fee"] = r.u63("fee")
    rc["paidBy"] = None
    if version == 2:                  # format 2: what paid the call
        tag = r.u8("paid-by tag")
        if tag == 1:
            rc["paidBy"] = {"channel": read_authorisation(r)}
        elif tag == 2:
            rc["paidBy"] = {"spendingKey": r.raw(32, "spending key hash").hex()}
        else:
            raise DecodeError("paid-by tag %d is neither 1 (channel) nor 2 (spending key)" % tag)
        if rc["fee"] == 0:
            raise DecodeError("only a charged call records what paid it")
    r.end()
    if rc["paidBy"] and "channel" in rc["paidBy"]:
        a = rc["paidBy"]["channel"]
        if address_text(payer_address(a)) != rc["caller"]:
            raise DecodeError("a channel authorisation is signed by the caller")
        if not authorisation_verifies(a, rc["chainId"], node):
            raise DecodeError("the payment authorisation the receipt records does not verify for the caller's channel with the node")
    if rc["status"] == 200 and (rc["artifactDigest"] is None or rc["requestHash"] is None):
        raise DecodeError("a successful call names its version and request hash")
    if rc["status"] != 200 and rc["fee"] != 0:
        raise DecodeError("a failed call is never charged")
    if rc["fee"] > 0 and rc["caller"] is None:
        raise DecodeError("a charged call names its caller")
    rc["_nodeKey"] = node_key
    return rc


def read_proof(p, what):
    if not isinstance(p, dict):
        raise DecodeError("%s must be an object" % what)
    path = p.get("path")
    if not isinstance(path, list) or len(path) > MAX_PROOF_PATH:
        raise DecodeError("%s.path must be a list of at most %d hashes" % (what, MAX_PROOF_PATH))
    index, size = p.get("leafIndex"), p.get("treeSize")
    if not isinstance(index, int) or not isinstance(size, int) or isinstance(index, bool) or isinstance(size, bool):
        raise DecodeError("%s leafIndex and treeSize must be integers" % what)
    return index, size, [unhex(x, what + ".path", 32) for x in path]


def check_receipt(c, what, ev, headers):
    """docs/receipts.md, "Verifying a receipt", steps 1 to 6; step 7 when the fixture verified the block."""
    try:
        encoded = unhex(ev["encoded"], what + ".encoded")
        rc = decode_receipt(encoded)
        rid = sha256(encoded)
        if "id" in ev and unhex(ev["id"], what + ".id", 32) != rid:
            raise DecodeError("id is not H(encoded)")
        signature = unhex(ev["signature"], what + ".signature", 64)
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "receipt malformed: %s" % e)
        return
    if not ed25519_verify(rc["_nodeKey"], RECEIPT_DOMAIN + encoded, signature):
        c.fail(what, "the node signature does not verify")
        return
    compare_expected(c, what + ".receipt", rc, ev.get("expect", {}))
    c.ok()
    batch = ev.get("batch")
    if batch is None:
        c.fail(what, "no batch: the receipt is %s" % ev.get("status", "unsettled"))
        return
    try:
        first, last = batch["firstSeq"], batch["lastSeq"]
        root = unhex(batch["receiptsRoot"], what + ".batch.receiptsRoot", 32)
        tx_hash = unhex(batch["txHash"], what + ".batch.txHash", 32)
        index, size, path = read_proof(batch["proof"], what + ".batch.proof")
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "batch malformed: %s" % e)
        return
    seq = rc["seq"]
    if not (first <= seq <= last and index == seq - first and size == last - first + 1):
        c.fail(what, "the batch proof does not place receipt %d in batch %d..%d" % (seq, first, last))
        return
    if not mt_verify_inclusion(rid, index, size, path, root):
        c.fail(what, "the receipt is not proven in the batch root %s" % root.hex())
        return
    c.ok()
    s = ev.get("settlement")
    if s is None:
        c.fail(what, "no settlement: the batch is %s" % ev.get("status", "pending"))
        return
    try:
        tx_bytes = unhex(s["tx"], what + ".settlement.tx")
        tx = decode_transaction(tx_bytes)
        header_bytes = unhex(s["header"], what + ".settlement.header")
        header = decode_header(header_bytes)
        block_hash = unhex(s["blockHash"], what + ".settlement.blockHash", 32)
        tx_index = s["txIndex"]
        tindex, tsize, tpath = read_proof(s["txProof"], what + ".settlement.txProof")
    except (DecodeError, KeyError, TypeError) as e:
        c.fail(what, "settlement malformed: %s" % e)
        return
    problem = None
    if sha256(tx_bytes) != tx_hash:
        problem = "the batch transaction does not hash to batch.txHash"
    elif not tx_signature_valid(tx):
        problem = "the batch transaction's signature does not verify"
    elif tx["sender"] != rc["node"]:
        problem = "the batch transaction was sent by %s, not by the receipt's node %s" % (tx["sender"], rc["node"])
    elif tx["chainId"] != rc["chainId"]:
        problem = "the batch transaction is for another chain"
    elif tx["_kind"] != KIND_RECEIPT_BATCH:
        problem = "the transaction is not a ReceiptBatch"
    elif (tx["firstSeq"], tx["lastSeq"], tx["receiptsRoot"]) != (first, last, root.hex()):
        problem = "the ReceiptBatch settles another range or root"
    elif rc["status"] == 200 and rc["caller"] is not None and not any(
            ch["caller"] == rc["caller"] and ch["name"] == rc["model"] and ch["version"] == rc["version"] for ch in tx["charges"]):
        problem = "the ReceiptBatch bills no charge for this successful call"
    if problem:
        c.fail(what, problem)
        return
    c.ok()
    if sha256d(header_bytes) != block_hash or header["height"] != s.get("blockHeight"):
        c.fail(what, "the header does not hash to blockHash at blockHeight")
        return
    c.ok()
    if tindex != tx_index or tsize != header["txCount"] or not mt_verify_inclusion(
            tx_hash, tindex, tsize, tpath, bytes.fromhex(header["txRoot"])):
        c.fail(what, "the batch transaction is not proven at index %r against the header's tx root" % tx_index)
        return
    c.ok()
    known = headers.get(block_hash.hex())
    if known is not None:
        if known != header:
            c.fail(what, "the evidence's header differs from the verified block %s" % block_hash.hex())
        else:
            c.ok()


def run_receipt_file(path):
    """spec_verifier.py --receipt FILE: one evidence file (steps 1 to 6)."""
    try:
        with open(path, "rb") as f:
            ev = json.loads(f.read().decode("utf-8"))
        if not isinstance(ev, dict):
            raise ValueError("the evidence must be a JSON object")
    except (OSError, ValueError) as e:
        print("FAIL: cannot read %s: %s" % (path, e), file=sys.stderr)
        return 1
    c = Checker()
    check_receipt(c, "receipt", ev, {})
    if c.failures:
        for f in c.failures:
            print("FAIL: " + f, file=sys.stderr)
        return 1
    print("spec_verifier: receipt verified (%d checks: signature, batch inclusion, batch transaction, header, tx inclusion)"
          % c.passed)
    return 0


def run(fixture):
    c = Checker()
    headers = {}   # verified block hash -> decoded header
    bodies = {}    # verified block hash -> its decoded transactions
    chains = {}    # genesis hash -> the chain's rules
    dumps = {}     # block hash -> its complete state (from the genesis file or a verified state dump)
    for i, g in enumerate(geneses(fixture)):
        check_genesis(c, i, g, headers, chains, dumps)
    for i, v in enumerate(fixture.get("signatures", [])):
        check_signature_vector(c, i, v)
    for i, t in enumerate(fixture.get("transactions", [])):
        check_transaction(c, i, t)
    for i, t in enumerate(fixture.get("invalidTransactions", [])):
        check_invalid_transaction(c, i, t)
    for i, b in enumerate(fixture.get("blocks", [])):
        check_block(c, i, b, headers, bodies)
    for i, pr in enumerate(fixture.get("txInclusionProofs", [])):
        check_inclusion(c, i, pr, headers)
    for i, pr in enumerate(fixture.get("stateProofs", [])):
        check_state_proof(c, i, pr, headers)
    for i, s in enumerate(fixture.get("states", [])):
        check_state_dump(c, i, s, headers, dumps)
    c.executed = check_execution(c, headers, bodies, chains, dumps)
    for i, v in enumerate(fixture.get("validatorHeaders", [])):
        check_validator_header(c, i, v)
    for i, ev in enumerate(fixture.get("receipts", [])):
        check_receipt(c, "receipt[%d]" % i, ev, headers)
    return c


def main(argv):
    if len(argv) == 3 and argv[1] == "--receipt":
        return run_receipt_file(argv[2])
    if len(argv) != 2:
        print("usage: spec_verifier.py FIXTURE.json | spec_verifier.py --receipt EVIDENCE.json", file=sys.stderr)
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
    counts = ", ".join(["%d genesis files" % len(geneses(fixture))] + ["%d %s" % (len(fixture.get(k, [])), k) for k in (
        "signatures", "transactions", "invalidTransactions", "blocks", "txInclusionProofs", "stateProofs", "states", "validatorHeaders", "receipts")])
    counts += "; %d blocks re-executed" % c.executed
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
