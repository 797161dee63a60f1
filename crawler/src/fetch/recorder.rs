//! A stream wrapper that keeps a copy of every byte written and read.
//!
//! hyper parses responses and de-chunks bodies, but evidence needs the bytes as they arrived.
//! Wrapping the (decrypted) stream under hyper gives both: hyper does HTTP, and the recorder
//! keeps the exact request and response bytes for the archive.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Shared copies of the bytes written (`sent`) and read (`received`).
#[derive(Clone, Default)]
pub(super) struct Tape {
    pub sent: Arc<Mutex<Vec<u8>>>,
    pub received: Arc<Mutex<Vec<u8>>>,
}

impl Tape {
    pub(super) fn take(&self) -> (Vec<u8>, Vec<u8>) {
        (
            std::mem::take(&mut *self.sent.lock().expect("tape")),
            std::mem::take(&mut *self.received.lock().expect("tape")),
        )
    }
}

pub(super) struct Recorder<S> {
    inner: S,
    tape: Tape,
}

impl<S> Recorder<S> {
    pub(super) fn new(inner: S, tape: Tape) -> Self {
        Recorder { inner, tape }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorder<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = r {
            let new = &buf.filled()[before..];
            this.tape
                .received
                .lock()
                .expect("tape")
                .extend_from_slice(new);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorder<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = r {
            this.tape
                .sent
                .lock()
                .expect("tape")
                .extend_from_slice(&buf[..n]);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
