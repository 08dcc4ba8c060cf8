//! Standard input and output as the server reads and writes them.
//!
//! Input: when standard input is a pipe or a socket (how every editor starts a language
//! server) it is read by the runtime itself, woken by the kernel when bytes arrive —
//! `tokio::io::stdin` instead hands every read to a blocking thread, which then wakes the
//! runtime: one more thread switch for every message. Anything else (a file, a terminal)
//! is read as `tokio::io::stdin` reads it, and so is standard input on Windows.
//!
//! Output: every frame goes to the pipe in one `write`, under a lock, from the thread
//! that has it — the runtime's output guard, or the blocking thread that analysed a report
//! and publishes its diagnostics (without waking the runtime). Neither
//! `tokio::io::stdout`'s hand-off of every write to a blocking thread and back nor
//! `std::io::Stdout`'s line buffering, which split a frame after its header line into two
//! writes (and woke the client twice). A client that stops reading blocks the writer, as
//! it would any writer.

use std::fs::File;
use std::io::{self, Write};
#[cfg(unix)]
use std::os::fd::{AsFd, OwnedFd};
#[cfg(unix)]
use std::os::unix::fs::FileTypeExt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Standard input: a pipe or socket read by the runtime, or `tokio::io::stdin`.
pub enum Stdin {
    #[cfg(unix)]
    Pipe(tokio::net::unix::pipe::Receiver),
    #[cfg(unix)]
    Socket(tokio::net::UnixStream),
    Other(tokio::io::Stdin),
}

impl Stdin {
    /// Must be called inside the runtime (the pipe and socket register with its reactor).
    pub fn open() -> Stdin {
        #[cfg(unix)]
        if let Some(s) = Self::nonblocking() {
            return s;
        }
        Stdin::Other(tokio::io::stdin())
    }

    #[cfg(unix)]
    fn nonblocking() -> Option<Stdin> {
        let fd: OwnedFd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        let kind = File::from(fd.try_clone().ok()?)
            .metadata()
            .ok()?
            .file_type();
        if kind.is_fifo() {
            // Sets O_NONBLOCK (on the description fd 0 shares); `restore` clears it.
            tokio::net::unix::pipe::Receiver::from_owned_fd(fd)
                .ok()
                .map(Stdin::Pipe)
        } else if kind.is_socket() {
            let s = std::os::unix::net::UnixStream::from(fd);
            s.set_nonblocking(true).ok()?;
            tokio::net::UnixStream::from_std(s).ok().map(Stdin::Socket)
        } else {
            None
        }
    }
}

#[cfg(not(unix))]
pub fn restore_blocking() {}

/// Puts standard input back into blocking mode after [`Stdin::open`] made it non-blocking
/// (the mode belongs to the pipe, which the process that started the server may share).
/// Must be called inside the runtime.
#[cfg(unix)]
pub fn restore_blocking() {
    let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() else {
        return;
    };
    let Ok(kind) = fd
        .try_clone()
        .and_then(|f| File::from(f).metadata())
        .map(|m| m.file_type())
    else {
        return;
    };
    if kind.is_fifo() {
        let _ = tokio::net::unix::pipe::Receiver::from_owned_fd_unchecked(fd)
            .and_then(|p| p.into_blocking_fd());
    } else if kind.is_socket() {
        let _ = std::os::unix::net::UnixStream::from(fd).set_nonblocking(false);
    }
}

impl AsyncRead for Stdin {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            #[cfg(unix)]
            Stdin::Pipe(p) => Pin::new(p).poll_read(cx, buf),
            #[cfg(unix)]
            Stdin::Socket(s) => Pin::new(s).poll_read(cx, buf),
            Stdin::Other(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

/// Standard output, written unbuffered, a frame at a time under a lock: by the output
/// guard (tower-lsp-server's frames, through [`Stdout`]) and by the threads that publish
/// diagnostics ([`crate::state::Out::Direct`]), which so need not wake the runtime.
pub struct Sink(Mutex<File>);

impl Sink {
    pub fn new() -> io::Result<Arc<Sink>> {
        #[cfg(unix)]
        let handle = io::stdout().as_fd().try_clone_to_owned()?;
        #[cfg(windows)]
        let handle = {
            use std::os::windows::io::AsHandle;
            io::stdout().as_handle().try_clone_to_owned()?
        };
        Ok(Arc::new(Sink(Mutex::new(File::from(handle)))))
    }

    /// Writes `frame` whole (in one `write` unless the pipe is full).
    pub fn write_frame(&self, frame: &[u8]) -> io::Result<()> {
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut rest = frame;
        while !rest.is_empty() {
            match (&*f).write(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                // Standard output left non-blocking by someone else: wait for room.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::yield_now(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// The output guard's writer: each write is a whole frame, written through the [`Sink`].
pub struct Stdout(pub Arc<Sink>);

impl AsyncWrite for Stdout {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.0.write_frame(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
