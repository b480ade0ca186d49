#!/usr/bin/env python3
"""An independent check of the witness vectors, written from docs/ledger-format.md §15 and the C2SP texts
(signed-note, tlog-checkpoint, tlog-cosignature), not from the C# code. Needs Python 3 and the
`cryptography` package (Ed25519). Run from anywhere: python3 docs/vectors/check_vectors.py
It prints OK lines and exits 0, or stops at the first disagreement."""
import base64, hashlib, json, os, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey, Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
def read(name): return open(os.path.join(HERE, name), encoding="utf-8").read()
def check(ok, what):
    if not ok: sys.exit("MISMATCH: " + what)
    print("OK:", what)

def leaf(data): return hashlib.sha256(b"\x00" + data).digest()
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()
def mth(leaves):  # RFC 6962 2.1, as written there
    if len(leaves) == 0: return hashlib.sha256(b"").digest()
    if len(leaves) == 1: return leaf(leaves[0])
    k = 1
    while k * 2 < len(leaves): k *= 2
    return node(mth(leaves[:k]), mth(leaves[k:]))

# The witness key: vkey = name+hex(keyid)+base64(0x04 || pub), keyid = SHA-256(name || 0x0A || 0x04 || pub)[:4].
name, keyid_hex, material = read("witness.vkey").strip().split("+", 2)
material = base64.b64decode(material)
check(material[0] == 4 and len(material) == 33, "the verifier key is a cosignature/v1 (type 04) Ed25519 key")
pub = material[1:]
keyid = hashlib.sha256(name.encode() + b"\n" + b"\x04" + pub).digest()[:4]
check(keyid.hex() == keyid_hex, "the verifier key's key ID is SHA-256(name, 0x0A, 0x04, key)[:4]")
skey = read("witness.key").strip()
check(skey.startswith("PRIVATE+KEY+"), "the private key file has the PRIVATE+KEY+ form")
seed = base64.b64decode(skey.split("+", 4)[4])[1:]
derived = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
check(derived == pub, "the private key's public half is the verifier key")
pem = serialization.load_pem_public_key(read("witness.pem").encode())
check(pem.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == pub, "witness.pem is the same Ed25519 key (SubjectPublicKeyInfo)")

# Bundle 1: the Merkle root over the raw event hashes, the head hash, the note body, the cosignature.
events = [json.loads(l) for l in read("bundle-1.jsonl").splitlines() if l and json.loads(l)["kind"] == "event"]
hashes = [bytes.fromhex(e["hash"]) for e in events]
cos_file = json.loads(read("bundle-1.cosignatures.json"))
check(cos_file["format"] == "welfare-audit-cosignatures" and cos_file["version"] == 1 and cos_file["witness"] == read("witness.vkey").strip(), "the cosignature file names the witness key")
c = cos_file["cosignatures"][0]
check(c["treeSize"] == len(events) == events[-1]["sequence"], "treeSize is the number of events, the last sequence")
check(c["headHash"] == events[-1]["hash"], "headHash is the chain hash of the last event")
check(base64.b64decode(c["rootHash"]) == mth(hashes), "rootHash is the RFC 6962 root over the 32-byte event hashes")
check(c["origin"] == "clinic.example/welfare-audit/" + c["ledgerId"], "the origin is {practice}/welfare-audit/{ledgerId}")
body = f'{c["origin"]}\n{c["treeSize"]}\n{c["rootHash"]}\nchain-head {c["headHash"]}\n'
sig = base64.b64decode(c["signature"])
check(len(sig) == 76 and sig[:4] == keyid, "the note signature is key ID (4) || time (8) || Ed25519 (64)")
(t,) = struct.unpack(">Q", sig[4:12])
message = f"cosignature/v1\ntime {t}\n".encode() + body.encode()
Ed25519PublicKey.from_public_bytes(pub).verify(sig[12:], message)  # raises if it does not verify
check(True, f"the cosignature/v1 signature verifies over the note body at time {t}")
check(read("bundle-1.ledger-1.note") == body + "\n\u2014 " + name + " " + c["signature"] + "\n", "the checkpoint note file is the body, a blank line and the signature line")

# Bundle 2 carries the cosignature as a WitnessCosigned event; bundle 3 removed an event before it.
def cosigned_events(file):
    return [json.loads(l) for l in read(file).splitlines() if l and json.loads(l).get("type") == "WitnessCosigned"]
w = cosigned_events("bundle-2.jsonl")[0]["clear"]
check(w == {"witness": cos_file["witness"], "origin": c["origin"], "treeSize": str(c["treeSize"]), "rootHash": c["rootHash"],
            "headHash": c["headHash"], "signature": c["signature"]}, "bundle 2's WitnessCosigned event holds the uploaded cosignature")
ev2 = {e["sequence"]: e for e in (json.loads(l) for l in read("bundle-2.jsonl").splitlines() if l) if e["kind"] == "event"}
check(ev2[3]["hash"] == c["headHash"], "bundle 2 agrees with the cosignature at sequence 3")
ev3 = {e["sequence"]: e for e in (json.loads(l) for l in read("bundle-3-rewritten.jsonl").splitlines() if l) if e["kind"] == "event"}
check(ev3[3]["hash"] != c["headHash"], "bundle 3 (rewritten) disagrees with the cosignature at sequence 3: verify --witness must refuse it")
print("All witness vectors check.")
