//! This node's signing identity: one Ed25519 key, created on first start.
//!
//! The key is stored as PKCS#8 PEM (`openssl pkey -in node.key -pubout` reads it) with mode
//! 0600; a key file that others may read is refused, since anyone holding it could sign a
//! forged seal. The fingerprint names the key in warcinfo records and seals.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use anyhow::{bail, Context};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The node's Ed25519 key pair.
pub struct NodeKey {
    signing: SigningKey,
}

/// `sha256:` + hex SHA-256 of a raw 32-byte Ed25519 public key.
pub fn fingerprint_of(public: &VerifyingKey) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(public.as_bytes())))
}

/// Parses a hex public key as seals carry it.
pub fn public_from_hex(hex_key: &str) -> anyhow::Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("a public key is 64 hex digits")?;
    VerifyingKey::from_bytes(&bytes).context("not an Ed25519 public key")
}

/// Checks a hex signature over `message` by `public`.
pub fn verify_hex(public: &VerifyingKey, message: &[u8], sig_hex: &str) -> bool {
    let Some(bytes) = hex::decode(sig_hex)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    // Strict: no small-order keys or non-canonical signatures, whose "signatures" anyone
    // can make.
    !public.is_weak()
        && public
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .is_ok()
}

/// Where the public half of the key at `key_path` is kept (readable by anyone, so that
/// `verify` needs no access to the private key).
pub fn public_path(key_path: &Path) -> std::path::PathBuf {
    key_path.with_extension("pub")
}

/// The public key (hex) kept beside the key at `key_path`, if there is one.
pub fn read_public(key_path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(public_path(key_path)).ok()?;
    let hex_key = text.split_whitespace().next()?.to_string();
    public_from_hex(&hex_key).ok().map(|_| hex_key)
}

impl NodeKey {
    /// Loads the key at `path`, creating it (mode 0600) if it does not exist.
    pub fn load_or_create(path: &Path) -> anyhow::Result<NodeKey> {
        let key = NodeKey::load_or_create_private(path)?;
        let public = public_path(path);
        if read_public(path).as_deref() != Some(key.public_hex().as_str()) {
            // Written aside and renamed: a crash leaves the old node.pub or the new one.
            let tmp = public.with_extension("pub.tmp");
            std::fs::write(
                &tmp,
                format!("{} {}\n", key.public_hex(), key.fingerprint()),
            )
            .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|_| std::fs::rename(&tmp, &public))
            .with_context(|| format!("cannot write {}", public.display()))?;
        }
        Ok(key)
    }

    fn load_or_create_private(path: &Path) -> anyhow::Result<NodeKey> {
        if path.exists() {
            return NodeKey::load(path);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let key = NodeKey::generate();
        key.write_new(path)?;
        tracing::info!(key = %path.display(), fingerprint = %key.fingerprint(), "created this node's signing key");
        Ok(key)
    }

    /// A new random key (not written anywhere yet).
    pub fn generate() -> NodeKey {
        NodeKey {
            signing: SigningKey::generate(&mut rand_core::OsRng),
        }
    }

    /// Writes the key to `path`, which must not exist, mode 0600, fsynced with its
    /// directory.
    pub fn write_new(&self, path: &Path) -> anyhow::Result<()> {
        let pem = self
            .signing
            .to_pkcs8_pem(Default::default())
            .context("cannot encode the node key")?;
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("cannot create the key file {}", path.display()))?;
        f.write_all(pem.as_bytes())?;
        f.sync_all()?;
        if let Some(dir) = path.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    /// Loads an existing key; refuses one that group or others may read.
    pub fn load(path: &Path) -> anyhow::Result<NodeKey> {
        let mode = std::fs::metadata(path)
            .with_context(|| format!("cannot read the node key {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "the node key {} is readable by others (mode {:o}): run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
        let pem = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the node key {}", path.display()))?;
        let signing = SigningKey::from_pkcs8_pem(&pem)
            .with_context(|| format!("{} is not an Ed25519 PKCS#8 key", path.display()))?;
        Ok(NodeKey { signing })
    }

    /// The public key.
    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The public key, hex.
    pub fn public_hex(&self) -> String {
        hex::encode(self.public().as_bytes())
    }

    /// The public key's fingerprint.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.public())
    }

    /// Signs `message`; hex signature.
    pub fn sign_hex(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

/// Where a key rotation keeps the new key until its record is in the archive.
pub fn next_path(key_path: &Path) -> std::path::PathBuf {
    key_path.with_extension("key.next")
}

/// Makes the key at [`next_path`] the node key: the current one is kept as
/// `node.key.retired-FINGERPRINT16` (mode 0600; move it offline or destroy it), the new one
/// takes its place and `node.pub` follows. Each step is a rename, so a crash leaves either
/// the old key with the next one beside it (the next start finishes) or the new key.
pub fn promote_next(key_path: &Path) -> anyhow::Result<NodeKey> {
    let next = next_path(key_path);
    // The new key must load before the current one is moved away.
    NodeKey::load(&next)?;
    if key_path.exists() {
        let old = NodeKey::load(key_path)?;
        let short: String = old
            .fingerprint()
            .trim_start_matches("sha256:")
            .chars()
            .take(16)
            .collect();
        let retired = key_path.with_extension(format!("key.retired-{short}"));
        // A second name for the old key, then the new one renamed over it: `node.key` is
        // always one whole key, whenever a crash comes.
        if !retired.exists() {
            std::fs::hard_link(key_path, &retired)
                .with_context(|| format!("cannot keep the old key as {}", retired.display()))?;
        }
    }
    std::fs::rename(&next, key_path)
        .with_context(|| format!("cannot move the new key to {}", key_path.display()))?;
    if let Some(dir) = key_path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    NodeKey::load_or_create(key_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_to_its_owner_and_signatures_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.key");
        let k = NodeKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = NodeKey::load_or_create(&path).unwrap();
        assert_eq!(k.public_hex(), again.public_hex(), "the same key next time");
        let sig = k.sign_hex(b"seal");
        let public = public_from_hex(&k.public_hex()).unwrap();
        assert!(verify_hex(&public, b"seal", &sig));
        assert!(!verify_hex(&public, b"seal!", &sig));
        assert!(k.fingerprint().starts_with("sha256:") && k.fingerprint().len() == 71);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = NodeKey::load(&path).err().unwrap().to_string();
        assert!(e.contains("chmod 600"), "{e}");
    }
}
