//! The transparency log: an RFC 6962 / RFC 9162 Merkle tree over every record appended to the
//! archive, and its signed tree heads (checkpoints).
//!
//! The hash chain ([`super::chain`]) proves order and integrity to someone who has *every*
//! record; the Merkle tree over the same records, in the same order, lets a third party check
//! one record against a signed head with a proof of about log₂ n hashes (an *inclusion
//! proof*), and check that today's archive still extends a head seen earlier (a *consistency
//! proof*). That second check is what defeats an insider who cuts off the newest records and
//! re-seals: the data directory can be rewritten, a head handed to a witness cannot.
//!
//! - Leaf `i` (from 0) is the record at chain position `i + 1`; its leaf data is the 32-byte
//!   SHA-256 of the uncompressed record, so its leaf hash is `SHA-256(0x00 ‖ digest)`.
//! - A checkpoint is a C2SP `tlog-checkpoint` in a C2SP `signed-note`, signed with the node's
//!   Ed25519 key under the key name = origin = `nightjar/` + the first 16 hex digits of the
//!   key's fingerprint. Its extension lines add the chain value at that size (`chain …`),
//!   when it was made (`time …`) and, from the daemon, the audit log's head (`audit SEQ HASH`).
//!
//! The Merkle algorithms are `tlog_tiles`' (a port of Go's sumdb `tlog`), and the note format
//! `signed_note`'s. Only [`Peaks`] is written here: the daemon extends the tree for as long
//! as it runs, and the O(log n) compact range it needs is not something those crates keep.

use std::collections::HashMap;

use anyhow::{bail, Context};
use base64::Engine as _;
use signed_note::{Note, Signer, StandardVerifier, VerifierList};
use tlog_tiles::{Checkpoint, HashReader};

/// A node hash of the tree (32 bytes).
pub use tlog_tiles::Hash;

use super::key::{self, NodeKey};
use crate::digest::Sha256;

/// The leaf hash of a record, from the SHA-256 of its uncompressed bytes.
pub fn leaf(record_digest: &Sha256) -> Hash {
    tlog_tiles::record_hash(record_digest.as_bytes())
}

/// The log's name for the node key `public` (hex): `nightjar/` + 16 hex digits.
pub fn origin_of(public_hex: &str) -> anyhow::Result<String> {
    let k = key::public_from_hex(public_hex)?;
    Ok(origin_of_fingerprint(&key::fingerprint_of(&k)))
}

/// The log's name for the key with this fingerprint (`sha256:hex`, as warcinfo records
/// name it): the archive's records say which log they belong to, whatever key is at hand.
pub fn origin_of_fingerprint(fingerprint: &str) -> String {
    // Only hex digits count: a crafted name must not panic, nor name one of our logs.
    let hex: String = fingerprint
        .trim_start_matches("sha256:")
        .chars()
        .take(16)
        .filter(char::is_ascii_hexdigit)
        .collect();
    format!("nightjar/{hex}")
}

/// The compact range of a growing tree: the roots of its perfect subtrees, largest first.
/// Enough to add leaves and to compute the root, in O(log n) space.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Peaks {
    size: u64,
    hashes: Vec<Hash>,
}

impl Peaks {
    /// The tree of `size` leaves whose peaks are `bytes` (32-byte hashes, left to right).
    pub fn from_bytes(size: u64, bytes: &[u8]) -> anyhow::Result<Peaks> {
        if !bytes.len().is_multiple_of(32) || bytes.len() / 32 != size.count_ones() as usize {
            bail!(
                "a compact range of {size} leaves has {} hashes, not {} bytes",
                size.count_ones(),
                bytes.len()
            );
        }
        let hashes = bytes
            .chunks(32)
            .map(|c| Hash(c.try_into().expect("32 bytes")))
            .collect();
        Ok(Peaks { size, hashes })
    }

    /// The peaks, 32 bytes each, left to right.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.hashes.iter().flat_map(|h| h.0).collect()
    }

    /// Leaves in the tree.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Adds one leaf (a leaf hash, see [`leaf`]).
    pub fn push(&mut self, mut h: Hash) {
        // Each trailing 1 bit of the old size is a perfect subtree that the new leaf
        // completes into one twice as large.
        let mut n = self.size;
        while n & 1 == 1 {
            let left = self.hashes.pop().expect("a peak per 1 bit");
            h = tlog_tiles::node_hash(left, h);
            n >>= 1;
        }
        self.hashes.push(h);
        self.size += 1;
    }

    /// The tree's root (RFC 6962 MTH; the hash of the empty string for no leaves).
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        let Some(last) = it.next() else {
            return tlog_tiles::EMPTY_HASH;
        };
        it.fold(*last, |acc, left| tlog_tiles::node_hash(*left, acc))
    }
}

impl Peaks {
    /// The RFC 6962 consistency proof from this tree to the tree that adds the leaves
    /// `later` (leaf hashes, in order) after it, from this compact range alone.
    ///
    /// Written here because the crates prove from a whole stored tree; a daemon handing
    /// its heads to a co-signing witness every few minutes should not read every record's
    /// digest to do it. Every node the proof needs is either a union of this tree's peaks
    /// (the left-balanced tree of n leaves shares the first m leaves' perfect subtrees) or
    /// made of the new leaves; the unit test checks it against `tlog_tiles` for every pair
    /// of sizes up to 70.
    pub fn consistency_to(&self, later: &[Hash]) -> Vec<Hash> {
        let (m, n) = (self.size, self.size + later.len() as u64);
        let mut out = Vec::new();
        if m > 0 && m < n {
            self.subproof(later, m, 0, n, true, &mut out);
        }
        out
    }

    /// RFC 6962 §2.1.2 SUBPROOF(m, D[a:b], complete).
    fn subproof(
        &self,
        later: &[Hash],
        m: u64,
        a: u64,
        b: u64,
        complete: bool,
        out: &mut Vec<Hash>,
    ) {
        if m == b - a {
            if !complete {
                out.push(self.range_hash(later, a, b));
            }
            return;
        }
        let k = split(b - a);
        if m <= k {
            self.subproof(later, m, a, a + k, complete, out);
            out.push(self.range_hash(later, a + k, b));
        } else {
            self.subproof(later, m - k, a + k, b, false, out);
            out.push(self.range_hash(later, a, a + k));
        }
    }

    /// MTH(D[a:b]) of the extended tree.
    fn range_hash(&self, later: &[Hash], a: u64, b: u64) -> Hash {
        let m = self.size;
        if a >= m {
            return leaves_hash(&later[(a - m) as usize..(b - m) as usize]);
        }
        if b <= m {
            // A run of whole peaks: fold them as `root` does.
            let mut start = 0;
            let mut run = Vec::new();
            for (i, bit) in (0..64).rev().filter(|i| m >> i & 1 == 1).enumerate() {
                let size = 1u64 << bit;
                if start >= a && start + size <= b {
                    run.push(self.hashes[i]);
                }
                start += size;
            }
            let mut it = run.into_iter().rev();
            let last = it
                .next()
                .expect("a range within the old tree covers a peak");
            return it.fold(last, |acc, left| tlog_tiles::node_hash(left, acc));
        }
        let k = split(b - a);
        tlog_tiles::node_hash(
            self.range_hash(later, a, a + k),
            self.range_hash(later, a + k, b),
        )
    }
}

/// The largest power of two below `n` (n ≥ 2): where RFC 6962 splits a range.
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH of a run of leaf hashes.
fn leaves_hash(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => tlog_tiles::EMPTY_HASH,
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            tlog_tiles::node_hash(leaves_hash(&leaves[..k]), leaves_hash(&leaves[k..]))
        }
    }
}

/// A whole tree in memory (every stored hash, about 64 bytes per leaf): for proofs.
#[derive(Default)]
pub struct Tree {
    size: u64,
    stored: Vec<Hash>,
}

impl HashReader for Tree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                self.stored
                    .get(i as usize)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl Tree {
    /// Adds one leaf (a leaf hash).
    pub fn push(&mut self, h: Hash) {
        let new = tlog_tiles::stored_hashes_for_record_hash(self.size, h, self)
            .expect("the tree holds every hash it needs");
        self.stored.extend(new);
        self.size += 1;
    }

    /// Leaves in the tree.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the first `n` leaves.
    pub fn root(&self, n: u64) -> anyhow::Result<Hash> {
        if n > self.size {
            bail!("the tree has {} leaves, not {n}", self.size);
        }
        Ok(tlog_tiles::tree_hash(n, self)?)
    }

    /// The inclusion proof of leaf `index` in the tree of the first `n` leaves.
    pub fn inclusion(&self, index: u64, n: u64) -> anyhow::Result<Vec<Hash>> {
        Ok(tlog_tiles::prove_record(n, index, self)?)
    }

    /// The consistency proof from the tree of `m` leaves to that of `n` (m ≤ n).
    pub fn consistency(&self, n: u64, m: u64) -> anyhow::Result<Vec<Hash>> {
        Ok(tlog_tiles::prove_tree(n, m, self)?)
    }
}

/// Whether `proof` shows leaf `index` with hash `leaf` in the tree of `n` leaves with `root`.
pub fn check_inclusion(proof: &[Hash], n: u64, root: Hash, index: u64, leaf: Hash) -> bool {
    tlog_tiles::check_record(&proof.to_vec(), n, root, index, leaf).is_ok()
}

/// Whether `proof` shows the tree (`n`, `root_n`) extending the tree (`m`, `root_m`).
pub fn check_consistency(proof: &[Hash], n: u64, root_n: Hash, m: u64, root_m: Hash) -> bool {
    tlog_tiles::check_tree(&proof.to_vec(), n, root_n, m, root_m).is_ok()
}

/// Base64, as checkpoints and proofs write hashes.
pub fn b64(h: &Hash) -> String {
    base64::engine::general_purpose::STANDARD.encode(h.0)
}

/// Parses a base64 hash.
pub fn parse_b64(s: &str) -> anyhow::Result<Hash> {
    let v = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .with_context(|| format!("{s:?} is not base64"))?;
    Ok(Hash(v.try_into().map_err(|_| {
        anyhow::anyhow!("{s:?} is not a 32-byte hash")
    })?))
}

/// A checkpoint as read back: the head it states and what its extension lines say.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// The log's name.
    pub origin: String,
    /// Leaves (records).
    pub size: u64,
    /// Root hash.
    pub root: Hash,
    /// The chain value after record `size` (`chain` line).
    pub chain: Option<String>,
    /// When the node made it (`time` line, RFC 3339).
    pub time: Option<String>,
    /// The audit log's head then (`audit SEQ HASH` line).
    pub audit: Option<(i64, String)>,
    /// The log this key took over by rotation, and the position of the rotation record
    /// (`continues ORIGIN N` line).
    pub continues: Option<(String, u64)>,
    /// The signing key, hex (`key` line; heads of a key that came by rotation carry it).
    pub key: Option<String>,
    /// The signed note, as written.
    pub note: String,
}

/// The node key as a signed-note signer.
struct NoteSigner<'a> {
    name: String,
    id: u32,
    key: &'a NodeKey,
}

impl Signer for NoteSigner<'_> {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        Ok(hex::decode(self.key.sign_hex(msg)).expect("hex"))
    }
}

/// The signed-note verifier key of `public_hex` under `origin`.
fn verifier(origin: &str, public_hex: &str) -> anyhow::Result<StandardVerifier> {
    let k = key::public_from_hex(public_hex)?;
    let vkey = signed_note::new_ed25519_verifier_key(origin, &k);
    StandardVerifier::new(&vkey).map_err(|e| anyhow::anyhow!("bad verifier key: {e:?}"))
}

/// The verifier key of this node's log in the C2SP text form (`name+id+key`), for
/// witnesses and third parties to pin.
pub fn verifier_key(public_hex: &str) -> anyhow::Result<String> {
    let origin = origin_of(public_hex)?;
    Ok(signed_note::new_ed25519_verifier_key(
        &origin,
        &key::public_from_hex(public_hex)?,
    ))
}

/// Makes and signs the checkpoint of a tree of `size` leaves with `root`.
pub fn sign(
    key: &NodeKey,
    size: u64,
    root: Hash,
    chain: &str,
    time: &str,
    audit: Option<(i64, &str)>,
    continues: Option<(&str, u64)>,
) -> anyhow::Result<String> {
    let origin = origin_of(&key.public_hex())?;
    let mut ext = format!("chain {chain}\ntime {time}\n");
    if let Some((seq, hash)) = audit {
        ext.push_str(&format!("audit {seq} {hash}\n"));
    }
    if let Some((old, at)) = continues {
        // This key took over the log `old` by a rotation record at position `at`: said in
        // every head it signs, with the key itself, so that a witness's copy tells anyone
        // that the log went on under this name, even from an archive cut back before it.
        ext.push_str(&format!("continues {old} {at}\nkey {}\n", key.public_hex()));
    }
    let cp = Checkpoint::new(&origin, size, root, &ext)
        .map_err(|_| anyhow::anyhow!("cannot form a checkpoint for {origin}"))?;
    let mut note = Note::new(&cp.to_bytes(), &[]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let pubkey = [&[0x01u8][..], key.public().as_bytes()].concat();
    let signer = NoteSigner {
        id: signed_note::key_id(&origin, &pubkey),
        name: origin,
        key,
    };
    note.add_sigs(&[&signer])
        .map_err(|e| anyhow::anyhow!("cannot sign the checkpoint: {e:?}"))?;
    Ok(String::from_utf8(note.to_bytes()).expect("a checkpoint is text"))
}

/// Reads a signed checkpoint and checks that `public_hex`'s log signed it.
pub fn open(note: &str, public_hex: &str) -> anyhow::Result<Head> {
    open_as(note, &origin_of(public_hex)?, public_hex)
}

/// Reads a signed checkpoint of the log `origin` and checks that `public_hex` signed it.
pub fn open_as(note: &str, origin: &str, public_hex: &str) -> anyhow::Result<Head> {
    let n = Note::from_bytes(note.as_bytes())
        .map_err(|e| anyhow::anyhow!("not a signed note: {e:?}"))?;
    let v = verifier(origin, public_hex)?;
    n.verify(&VerifierList::new(vec![Box::new(v)]))
        .map_err(|e| match e {
            signed_note::NoteError::UnverifiedNote => anyhow::anyhow!(
                "not signed by this node's key ({})",
                key::public_from_hex(public_hex)
                    .map(|k| key::fingerprint_of(&k))
                    .unwrap_or_default()
            ),
            e => anyhow::anyhow!("its signature does not verify: {e:?}"),
        })?;
    parse_text(n.text(), note)
}

/// The name under which a node co-signs other logs' heads as their witness:
/// `nightjar-witness/` + 16 hex digits of its key's fingerprint.
pub fn witness_name(public_hex: &str) -> anyhow::Result<String> {
    Ok(origin_of(public_hex)?.replacen("nightjar/", "nightjar-witness/", 1))
}

/// This node's verifier key as a witness (`name+id+key`), for the logs it co-signs to pin.
pub fn witness_verifier_key(public_hex: &str) -> anyhow::Result<String> {
    Ok(signed_note::new_ed25519_verifier_key(
        &witness_name(public_hex)?,
        &key::public_from_hex(public_hex)?,
    ))
}

/// The name and public key (hex) of a C2SP verifier key (`name+id+base64(0x01 ‖ key)`), an
/// Ed25519 one that is whole.
pub fn parse_verifier_key(vkey: &str) -> anyhow::Result<(String, String)> {
    let v = StandardVerifier::new(vkey.trim()).map_err(|e| {
        anyhow::anyhow!("'{vkey}' is not an Ed25519 verifier key (name+id+key): {e:?}")
    })?;
    let name = signed_note::Verifier::name(&v).to_string();
    // name+id+key: neither the name nor the hex id holds a '+'; base64 may.
    let b64 = vkey.trim().splitn(3, '+').nth(2).unwrap_or_default();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .with_context(|| format!("the key of '{vkey}' is not base64"))?;
    match raw.split_first() {
        Some((0x01, k)) if k.len() == 32 => Ok((name, hex::encode(k))),
        _ => bail!("'{vkey}' is not an Ed25519 verifier key"),
    }
}

/// Adds this node's witness signature to a signed checkpoint (whose log signature the
/// caller has checked); returns the note with both signatures.
pub fn cosign(note: &str, key: &NodeKey) -> anyhow::Result<String> {
    let mut n = Note::from_bytes(note.as_bytes())
        .map_err(|e| anyhow::anyhow!("not a signed note: {e:?}"))?;
    let name = witness_name(&key.public_hex())?;
    let pubkey = [&[0x01u8][..], key.public().as_bytes()].concat();
    let signer = NoteSigner {
        id: signed_note::key_id(&name, &pubkey),
        name,
        key,
    };
    n.add_sigs(&[&signer])
        .map_err(|e| anyhow::anyhow!("cannot co-sign the checkpoint: {e:?}"))?;
    Ok(String::from_utf8(n.to_bytes()).expect("a checkpoint is text"))
}

/// Whether the witness with verifier key `witness_vkey` signed this note.
pub fn cosigned_by(note: &str, witness_vkey: &str) -> bool {
    let (Ok(n), Ok(v)) = (
        Note::from_bytes(note.as_bytes()),
        StandardVerifier::new(witness_vkey.trim()),
    ) else {
        return false;
    };
    n.verify(&VerifierList::new(vec![Box::new(v)])).is_ok()
}

/// The origin a signed checkpoint names (its first line), without checking anything.
pub fn origin_in(note: &str) -> Option<&str> {
    note.lines().next()
}

fn parse_text(text: &[u8], note: &str) -> anyhow::Result<Head> {
    let cp = Checkpoint::from_bytes(text).map_err(|_| anyhow::anyhow!("not a checkpoint"))?;
    let mut chain = None;
    let mut time = None;
    let mut audit = None;
    let mut continues = None;
    let mut key = None;
    for line in cp.extension().lines() {
        match line.split_once(' ') {
            Some(("chain", v)) => chain = Some(v.to_string()),
            Some(("time", v)) => time = Some(v.to_string()),
            Some(("key", v)) => key = Some(v.to_string()),
            Some(("continues", v)) => {
                if let Some((origin, at)) = v.split_once(' ') {
                    continues = at.parse().ok().map(|a| (origin.to_string(), a));
                }
            }
            Some(("audit", v)) => {
                if let Some((seq, hash)) = v.split_once(' ') {
                    audit = seq.parse().ok().map(|s| (s, hash.to_string()));
                }
            }
            _ => {}
        }
    }
    Ok(Head {
        origin: cp.origin().to_string(),
        size: cp.size(),
        root: *cp.hash(),
        chain,
        time,
        audit,
        continues,
        key,
        note: note.to_string(),
    })
}

/// A head that says it continues one of `known` logs after a key rotation (a `continues`
/// line naming it) under a log that is not among them, signed by the key it names: what is
/// left of a rotation the archive no longer holds. `None` for any other note.
pub fn continuation_of(note: &str, known: &[LogKey]) -> Option<Head> {
    let n = Note::from_bytes(note.as_bytes()).ok()?;
    let head = parse_text(n.text(), note).ok()?;
    if known.iter().any(|k| k.origin == head.origin) {
        return None;
    }
    let (old, _) = head.continues.as_ref()?;
    if !known.iter().any(|k| &k.origin == old) {
        return None;
    }
    let key = head.key.as_deref()?;
    if origin_of(key).ok()? != head.origin {
        return None;
    }
    open_as(note, &head.origin, key).ok()
}

/// Finds signed checkpoints in a witness's text: notes written one after another (each
/// followed by an empty line), and journal lines carrying `nightjar-checkpoint: BASE64`.
pub fn notes_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut current: Vec<&str> = Vec::new();
    let mut in_sigs = false;
    for line in text.split_inclusive('\n') {
        if let Some(i) = line.find(JOURNAL_TAG) {
            let token = line[i + JOURNAL_TAG.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            if let Ok(bytes) = b64.decode(token.trim_matches('"')) {
                if let Ok(note) = String::from_utf8(bytes) {
                    out.push(note);
                }
            }
            continue;
        }
        if line == "\n" {
            if in_sigs {
                out.push(current.concat());
                current.clear();
                in_sigs = false;
            } else if !current.is_empty() {
                current.push(line);
                in_sigs = true;
            }
            continue;
        }
        if in_sigs && !line.starts_with('\u{2014}') {
            // A note ended without its blank line: start over at this one.
            out.push(current.concat());
            current.clear();
            in_sigs = false;
        }
        current.push(line);
    }
    if in_sigs {
        out.push(current.concat());
    }
    out
}

/// What the daemon's log line carrying a checkpoint says before the note (base64).
pub const JOURNAL_TAG: &str = "nightjar-checkpoint: ";

/// One name of the log and the key that signs under it: the log is known by the key of
/// each epoch between rotations (see [`super::rotation`]), and by any other key the records
/// or the verifier name (whose heads must then still be signed by the key at hand).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogKey {
    /// The origin (`nightjar/` + 16 hex digits of the key's fingerprint).
    pub origin: String,
    /// The key whose signature a head of this origin must carry (hex).
    pub public: String,
    /// For a key rotated out: the log size at which the next key took over. A head of this
    /// origin for a longer log was signed by the retired key afterwards.
    pub until: Option<u64>,
}

impl LogKey {
    /// The log named by `public_hex`'s own origin, with no end.
    pub fn of(public_hex: &str) -> anyhow::Result<LogKey> {
        Ok(LogKey {
            origin: origin_of(public_hex)?,
            public: public_hex.to_string(),
            until: None,
        })
    }
}

/// Checks the heads in `notes` that name this log (any origin of `keys`) against `tree`
/// (every record's leaf, in order); each must be signed by its origin's key, and a retired
/// key's heads must end where the next key took over. `who` kept them ("the witness", "the
/// database"). Returns the heads that check out, what is wrong with the others, and how many
/// name other logs.
pub fn check_heads(
    tree: &Tree,
    keys: &[LogKey],
    notes: &[String],
    who: &str,
) -> (Vec<Head>, Vec<String>, usize) {
    let mut good = Vec::new();
    let mut problems = Vec::new();
    let mut others = 0;
    let n = tree.size();
    let root_n = tree.root(n).unwrap_or(tlog_tiles::EMPTY_HASH);
    let mut seen: HashMap<u64, Hash> = HashMap::new();
    for note in notes {
        let Some(lk) = origin_in(note).and_then(|o| keys.iter().find(|k| k.origin == o)) else {
            others += 1;
            continue;
        };
        let head = match open_as(note, &lk.origin, &lk.public) {
            Ok(h) => h,
            Err(e) => {
                let size = note.lines().nth(1).unwrap_or("?");
                problems.push(format!(
                    "{who} holds a head of this log (size {size}) that is {e}: the node key was replaced since, or the head was forged"
                ));
                continue;
            }
        };
        if let Some(r) = seen.insert(head.size, head.root) {
            if r != head.root {
                problems.push(format!(
                    "two checkpoints of size {} with different roots: the log was forked",
                    head.size
                ));
            }
        }
        if let Some(until) = lk.until.filter(|u| head.size > *u) {
            problems.push(format!(
                "{who} holds a head of {} records signed by the key {}, which was rotated out when the log had {until} records: the retired key was used after its rotation",
                head.size, lk.origin
            ));
            continue;
        }
        if head.size > n {
            problems.push(format!(
                "{who} holds a head of this log at {} records (made {}), but the archive holds only {n}: records {}..{} were cut off since (the newest records or files deleted)",
                head.size,
                head.time.as_deref().unwrap_or("an unknown time"),
                n + 1,
                head.size
            ));
            continue;
        }
        let consistent = tree
            .consistency(n, head.size)
            .map(|proof| check_consistency(&proof, n, root_n, head.size, head.root))
            .unwrap_or(false);
        if !consistent {
            problems.push(format!(
                "the archive does not extend the head {who} holds at {} records (made {}): records among the first {} were altered, removed, reordered or replaced",
                head.size,
                head.time.as_deref().unwrap_or("unknown time"),
                head.size
            ));
            continue;
        }
        good.push(head);
    }
    (good, problems, others)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_verifier_key_gives_back_its_name_and_key_whatever_its_base64_holds() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let key = NodeKey::load_or_create(&dir.path().join("k")).unwrap();
            let vkey = verifier_key(&key.public_hex()).unwrap();
            assert_eq!(
                parse_verifier_key(&vkey).unwrap(),
                (origin_of(&key.public_hex()).unwrap(), key.public_hex())
            );
        }
        assert!(parse_verifier_key("nightjar/00+1234abcd+AAAA").is_err());
    }

    #[test]
    fn consistency_from_the_compact_range_is_the_whole_trees_proof() {
        let leaves: Vec<Hash> = (0..70u32)
            .map(|i| leaf(&Sha256::of(&i.to_be_bytes())))
            .collect();
        let mut tree = Tree::default();
        for l in &leaves {
            tree.push(*l);
        }
        for m in 1..=70u64 {
            let mut peaks = Peaks::default();
            for l in &leaves[..m as usize] {
                peaks.push(*l);
            }
            for n in m..=70u64 {
                let proof = peaks.consistency_to(&leaves[m as usize..n as usize]);
                let expected = if m == n {
                    Vec::new()
                } else {
                    tree.consistency(n, m).unwrap()
                };
                assert_eq!(proof, expected, "m = {m}, n = {n}");
                assert!(check_consistency(
                    &proof,
                    n,
                    tree.root(n).unwrap(),
                    m,
                    tree.root(m).unwrap()
                ));
            }
        }
    }

    use super::*;

    fn digests(n: u64) -> Vec<Sha256> {
        (0..n).map(|i| Sha256::of(&i.to_be_bytes())).collect()
    }

    #[test]
    fn peaks_and_the_whole_tree_agree_with_tlog_at_every_size() {
        let mut peaks = Peaks::default();
        let mut tree = Tree::default();
        for (i, d) in digests(70).iter().enumerate() {
            peaks.push(leaf(d));
            tree.push(leaf(d));
            let n = i as u64 + 1;
            assert_eq!(peaks.root(), tree.root(n).unwrap(), "size {n}");
            let back = Peaks::from_bytes(n, &peaks.to_bytes()).unwrap();
            assert_eq!(back, peaks);
        }
        // RFC 6962 by hand for three leaves: MTH = H(1 ‖ H(1 ‖ l0 ‖ l1) ‖ l2).
        let d = digests(3);
        let l: Vec<Hash> = d.iter().map(leaf).collect();
        let by_hand = tlog_tiles::node_hash(tlog_tiles::node_hash(l[0], l[1]), l[2]);
        assert_eq!(tree.root(3).unwrap(), by_hand);
        assert_eq!(Peaks::default().root(), tlog_tiles::EMPTY_HASH);
    }

    #[test]
    fn proofs_hold_for_the_true_tree_and_fail_for_another() {
        let mut tree = Tree::default();
        for d in digests(37) {
            tree.push(leaf(&d));
        }
        let root = tree.root(37).unwrap();
        let proof = tree.inclusion(5, 37).unwrap();
        let l5 = leaf(&digests(6)[5]);
        assert!(check_inclusion(&proof, 37, root, 5, l5));
        assert!(!check_inclusion(&proof, 37, root, 6, l5));
        let c = tree.consistency(37, 20).unwrap();
        assert!(check_consistency(&c, 37, root, 20, tree.root(20).unwrap()));
        assert!(!check_consistency(&c, 37, root, 20, tree.root(19).unwrap()));
    }

    #[test]
    fn a_checkpoint_is_a_signed_note_that_names_its_key_and_any_edit_breaks_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = NodeKey::load_or_create(&dir.path().join("k")).unwrap();
        let mut tree = Tree::default();
        for d in digests(9) {
            tree.push(leaf(&d));
        }
        let note = sign(
            &key,
            9,
            tree.root(9).unwrap(),
            "sha256:ab",
            "2026-12-02T00:00:00Z",
            Some((4, "sha256:cd")),
            None,
        )
        .unwrap();
        let lines: Vec<&str> = note.lines().collect();
        assert_eq!(lines[0], origin_of(&key.public_hex()).unwrap());
        assert_eq!(lines[1], "9");
        assert_eq!(lines[2], b64(&tree.root(9).unwrap()));
        assert!(
            lines.iter().any(|l| l.starts_with("\u{2014} nightjar/")),
            "{note}"
        );
        let head = open(&note, &key.public_hex()).unwrap();
        assert_eq!(head.size, 9);
        assert_eq!(head.audit, Some((4, "sha256:cd".into())));
        assert_eq!(head.chain.as_deref(), Some("sha256:ab"));
        let edited = note.replacen("\n9\n", "\n8\n", 1);
        assert!(open(&edited, &key.public_hex()).is_err());
        let other = NodeKey::load_or_create(&dir.path().join("k2")).unwrap();
        assert!(open(&note, &other.public_hex()).is_err());
        // Found again in a witness file and in journal lines.
        let journal = format!(
            "Dec 02 nightjar[1]: INFO checkpoint {JOURNAL_TAG}{}\n",
            base64::engine::general_purpose::STANDARD.encode(&note)
        );
        let file = format!("{note}\n{note}\n{journal}");
        assert_eq!(
            notes_in(&file),
            vec![note.clone(), note.clone(), note.clone()]
        );
        // Appends as heads.rs makes them, the second torn by a crash mid-line.
        let torn = &note[..note.find('\u{2014}').unwrap() - 3];
        let file = format!("\n\n{note}\n\n\n{torn}\n\n{note}\n");
        let found = notes_in(&file);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((&found[0], &found[2]), (&note, &note));
        let origin = origin_of(&key.public_hex()).unwrap();
        assert_eq!(
            origin_of_fingerprint("sha256:aaaaaaaaaaaaaaa\u{e9}"),
            "nightjar/aaaaaaaaaaaaaaa"
        );
        let ours = [LogKey::of(&key.public_hex()).unwrap()];
        assert_eq!(ours[0].origin, origin);
        let (good, problems, _) = check_heads(&tree, &ours, std::slice::from_ref(&note), "w");
        assert_eq!((good.len(), problems.len()), (1, 0));
        let mut short = Tree::default();
        for d in digests(7) {
            short.push(leaf(&d));
        }
        let (_, problems, _) = check_heads(&short, &ours, std::slice::from_ref(&note), "w");
        // Opened with another key, the head of this log is named as not signed by it.
        let theirs = [LogKey {
            origin: origin.clone(),
            public: other.public_hex(),
            until: None,
        }];
        let (_, problems2, _) = check_heads(&tree, &theirs, std::slice::from_ref(&note), "w");
        assert!(
            problems2[0].contains("not signed by this node's key"),
            "{problems2:?}"
        );
        assert!(problems[0].contains("cut off"), "{problems:?}");
        // A retired key's head past the point where the next key took over.
        let retired = [LogKey {
            until: Some(5),
            ..ours[0].clone()
        }];
        let (good, problems3, _) = check_heads(&tree, &retired, &[note], "w");
        assert!(good.is_empty());
        assert!(problems3[0].contains("rotated out"), "{problems3:?}");
    }
}
