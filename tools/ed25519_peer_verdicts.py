#!/usr/bin/env python3
"""Asks OpenSSL (the openssl command) and libsodium (libsodium.so.23, through ctypes) for their verdicts on Ed25519
signatures, so that docs/spec.md can say where they differ from maaschain's (Ed25519PeerVerdictsTest runs this).

Input on stdin: JSON {"message": hex, "vectors": [{"publicKey": hex, "signature": hex}, ...]}.
Output on stdout: JSON [{"openssl": bool, "libsodium": bool}, ...] in the same order. Exit 2 if a tool is missing."""
import binascii, ctypes, ctypes.util, json, os, subprocess, sys, tempfile

SPKI_PREFIX = binascii.unhexlify("302a300506032b6570032100")  # X.509 SubjectPublicKeyInfo header of an Ed25519 key


def main():
    request = json.load(sys.stdin)
    message = binascii.unhexlify(request["message"])
    try:
        sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    except OSError as e:
        print("libsodium not found: " + str(e), file=sys.stderr)
        return 2
    if sodium.sodium_init() < 0:
        print("sodium_init failed", file=sys.stderr)
        return 2
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        msg_file, key_file, sig_file = (os.path.join(tmp, n) for n in ("msg", "pub.der", "sig"))
        with open(msg_file, "wb") as f:
            f.write(message)
        for v in request["vectors"]:
            key, sig = binascii.unhexlify(v["publicKey"]), binascii.unhexlify(v["signature"])
            with open(key_file, "wb") as f:
                f.write(SPKI_PREFIX + key)
            with open(sig_file, "wb") as f:
                f.write(sig)
            try:
                r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key_file, "-keyform", "DER", "-rawin",
                                    "-in", msg_file, "-sigfile", sig_file], capture_output=True, text=True)
            except FileNotFoundError:
                print("openssl not found", file=sys.stderr)
                return 2
            openssl_ok = r.returncode == 0 and "Signature Verified Successfully" in r.stdout
            sodium_ok = sodium.crypto_sign_verify_detached(sig, message, ctypes.c_ulonglong(len(message)), key) == 0
            out.append({"openssl": openssl_ok, "libsodium": sodium_ok})
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
