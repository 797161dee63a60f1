//! The crawler's side of the chain of custody: telling the writer where the chain stands
//! after recovery, indexing the checkpoint written at shutdown, and sealing each WARC file
//! as soon as it is closed and fully indexed (see `archive::custody`).

use anyhow::Context;

use crate::config::Config;
use crate::engine::Crawler;

/// Where this node's signed heads go besides the database: the witness files and the TSA
/// of `[custody]`.
pub fn witnesses(cfg: &Config) -> archive::custody::heads::Witnesses {
    archive::custody::heads::Witnesses {
        files: cfg.custody.witness_files.clone(),
        tsa: cfg
            .custody
            .tsa_url
            .as_ref()
            .map(|url| archive::custody::seal::Tsa {
                url: url.clone(),
                timeout: cfg.custody.tsa_timeout,
            }),
    }
}

impl Crawler {
    /// Continues the chain where the index (recovery included) says it stands, and seals
    /// closed files that have no seal yet (a file closed by recovery, or by a crash just
    /// after its rename). What recovery cut back and every file sealed late go into the
    /// archive as repair records (see `archive::custody::repairs`).
    pub async fn resume_custody(&self, recovery: &crate::recover::Recovery) -> anyhow::Result<()> {
        crate::audit::restore_guards(self.db()).await?;
        let (seq, value) = archive::index::chain_head(self.db()).await?;
        self.writer
            .lock()
            .expect("writer lock")
            .set_chain(seq, value);
        let mut repairs = recovery.repairs.clone();
        let dir = self.cfg().warc_dir();
        // The record first, the seal after: a crash between the two leaves a record of a
        // late seal about to be made (made on the next start), never a late seal that
        // nothing mentions.
        for name in archive::custody::seal::unsealed(&dir)? {
            let size = std::fs::metadata(dir.join(&name)).map_or(0, |m| m.len());
            repairs.push(archive::custody::repairs::Repair::sealed_late(&name, size));
        }
        self.record_repairs(&repairs).await?;
        self.seal_closed().await?;
        // An erasure a crash interrupted (its record written, frames not all blank yet).
        self.finish_erasures().await?;
        Ok(())
    }

    /// Rotates the node key: a new key is made (kept in `node.key.next`), the rotation
    /// record signed by both keys goes into the archive, the archive is closed, sealed and
    /// its head signed with the old key, and then the new key takes over (the old one is
    /// kept as `node.key.retired-…`). Every later record, seal and head is the new key's.
    /// Run with the data directory locked (no daemon); the crawler is done with after it.
    pub async fn rotate_key(
        &self,
        reason: &str,
    ) -> anyhow::Result<archive::custody::rotation::Rotation> {
        use archive::custody::key::{self, NodeKey};
        let key_path = self.cfg().key_path();
        // Every closed file is sealed with the key of its time first: one left unsealed
        // (sealing stopped at a damaged file) would be sealed later with the new key.
        let unsealed = archive::custody::seal::unsealed(&self.cfg().warc_dir())?;
        if !unsealed.is_empty() {
            anyhow::bail!(
                "closed WARC files are not sealed yet ({}): run `nightjar verify`, mend what it names, start nightjar once so that it seals them, then rotate",
                unsealed.join(", ")
            );
        }
        let next = key::next_path(&key_path);
        if next.exists() {
            std::fs::remove_file(&next)?;
        }
        let new = NodeKey::generate();
        new.write_new(&next)?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let rotation = archive::custody::rotation::Rotation::make(self.key(), &new, &at, reason);
        let records = self
            .writer
            .lock()
            .expect("writer lock")
            .append_note(|id, date| rotation.record(id, date))
            .context("cannot write the key rotation record into the archive")?;
        self.index_notes(&records).await?;
        let id = &records.last().expect("the rotation record").record_id;
        archive::index::insert_key_rotation(self.db(), id, &rotation).await?;
        // The file holding the rotation is sealed, and the log's head signed, by the old key.
        self.close_archive().await?;
        key::promote_next(&key_path)?;
        // Sharing the database: the other nodes accept what the new key signs from now on,
        // and know when the old one was retired. The rotation itself is done by now: should
        // this fail, the next start records the new key, and the rotation stands.
        if self.db().is_postgres() {
            if let Err(e) = crate::store::nodes::record_rotation(
                self.db(),
                &self.cfg().node.name(),
                &rotation.old_fingerprint(),
                &rotation.new_fingerprint(),
                &archive::index::index_time(&chrono::Utc::now()),
            )
            .await
            {
                tracing::warn!(error = %e, "the new key is not registered for the other nodes yet; the next start does it");
            }
        }
        tracing::warn!(
            old = %rotation.old_fingerprint(),
            new = %rotation.new_fingerprint(),
            "node key rotated"
        );
        Ok(rotation)
    }

    /// Appends a repair record for each repair to the archive, indexes them and makes a
    /// signed head that covers them.
    async fn record_repairs(
        &self,
        repairs: &[archive::custody::repairs::Repair],
    ) -> anyhow::Result<()> {
        if repairs.is_empty() {
            return Ok(());
        }
        let fingerprint = self.key().fingerprint();
        let mut records = Vec::new();
        for r in repairs {
            let written = self
                .writer
                .lock()
                .expect("writer lock")
                .append_note(|id, date| r.record(id, date, Some(&fingerprint)))
                .context("cannot write a repair record into the archive")?;
            records.extend(written);
            tracing::warn!(
                repair = %r.kind,
                file = %r.file,
                old_size = r.old_size,
                new_size = r.new_size,
                "repair recorded in the archive; `nightjar verify` lists it until `nightjar custody ack` acknowledges it"
            );
        }
        self.index_notes(&records).await?;
        self.checkpoint_log().await
    }

    /// Indexes records the writer appended about the archive itself (repairs, a rotation)
    /// and tells the writer they are.
    async fn index_notes(&self, records: &[archive::writer::StoredRecord]) -> anyhow::Result<()> {
        let mut tx = self.db().begin().await?;
        for rec in records {
            archive::index::insert_record(&mut tx, rec, None).await?;
        }
        tx.commit().await?;
        self.writer
            .lock()
            .expect("writer lock")
            .indexed_records(records)?;
        Ok(())
    }

    /// Makes a signed head of the archive's Merkle log, if it grew, and hands it to the
    /// witnesses. Errors are the caller's; a witness file that cannot be written is only
    /// logged.
    pub async fn checkpoint_log(&self) -> anyhow::Result<()> {
        let witnesses = witnesses(&self.cfg());
        let audit = crate::audit::head(self.db()).await?;
        let _one_at_a_time = self.sealing.lock().await;
        let made = archive::custody::heads::make(self.db(), self.key(), &witnesses, audit)
            .await
            .context("cannot make a signed head of the archive's log")?;
        // A slow witness must not hold up sealing.
        drop(_one_at_a_time);
        if made.is_some() {
            crate::witness::hand_to_cosigners(self.db(), &self.cfg(), self.key()).await;
        }
        Ok(())
    }

    /// Seals the files the writer has closed since the last call (and any closed file
    /// without a seal); returns the files sealed.
    pub async fn seal_closed(&self) -> anyhow::Result<Vec<String>> {
        let _one_at_a_time = self.sealing.lock().await;
        self.writer.lock().expect("writer lock").take_closed();
        let cfg = self.cfg();
        let tsa = cfg
            .custody
            .tsa_url
            .as_ref()
            .map(|url| archive::custody::seal::Tsa {
                url: url.clone(),
                timeout: self.cfg().custody.tsa_timeout,
            });
        let sealed = archive::custody::seal::seal_closed(
            &self.cfg().warc_dir(),
            self.db(),
            self.key(),
            tsa.as_ref(),
        )
        .await
        .context("cannot seal a closed WARC file")?;
        drop(_one_at_a_time);
        if !sealed.is_empty() {
            self.checkpoint_log().await?;
        }
        Ok(sealed)
    }

    /// Seals what a just-indexed capture closed, if anything (errors are logged: the file
    /// is sealed on the next start).
    pub async fn seal_if_closed(&self) {
        let closed = !self
            .writer
            .lock()
            .expect("writer lock")
            .take_closed()
            .is_empty();
        if closed {
            if let Err(e) = self.seal_closed().await {
                tracing::error!("{e:#}");
            }
        }
    }

    /// Ends the archive for a shutdown: the chain head written into the current file and
    /// indexed, the file closed, every closed file sealed. Returns the files left `.open`.
    pub async fn close_archive(&self) -> anyhow::Result<Vec<String>> {
        let checkpoint = self
            .writer
            .lock()
            .expect("writer lock")
            .checkpoint()
            .context("cannot write the closing chain checkpoint")?;
        if let Some(rec) = &checkpoint {
            let mut tx = self.db().begin().await?;
            archive::index::insert_record(&mut tx, rec, None).await?;
            tx.commit().await?;
            self.writer
                .lock()
                .expect("writer lock")
                .indexed_records([rec])?;
        }
        let (_, left_open) = self
            .writer
            .lock()
            .expect("writer lock")
            .close()
            .context("cannot close the WARC file")?;
        self.seal_closed().await?;
        self.checkpoint_log().await?;
        Ok(left_open)
    }

    /// Makes sure these WARC files are closed and sealed, closing the current file if it is
    /// one of them (the next capture starts a new file). A file waiting for in-flight
    /// captures to be indexed is sealed when they are; this waits for that, up to `wait`.
    pub async fn sealed(&self, files: &[String], wait: std::time::Duration) -> anyhow::Result<()> {
        let dir = self.cfg().warc_dir();
        let is_sealed = |f: &String| {
            let closed = dir.join(f);
            closed.exists() && archive::custody::seal::seal_path(&closed).exists()
        };
        if files.iter().all(is_sealed) {
            return Ok(());
        }
        let current_open = files.iter().any(|f| dir.join(format!("{f}.open")).exists());
        if current_open {
            self.close_archive().await?;
        }
        let deadline = tokio::time::Instant::now() + wait;
        while !files.iter().all(is_sealed) {
            if tokio::time::Instant::now() > deadline {
                anyhow::bail!(
                    "WARC files {files:?} are not all sealed yet (captures still being indexed): try again shortly"
                );
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        Ok(())
    }
}
