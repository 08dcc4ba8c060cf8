//! The thread that analyses documents, off the runtime's threads.
//!
//! A thread of its own rather than tokio's blocking pool for one reason: it can be told a
//! change is coming. The input guard sees a `didChange` before tower-lsp-server has decoded
//! and routed it (≈ 0.1 ms here); with no debounce it calls [`Worker::expect`], and the
//! thread wakes (waking an idle thread costs ≈ 0.06 ms on this machine) and waits for the
//! job, yielding its CPU, instead of being woken when the job is ready. So the wake-up
//! overlaps the transport's work instead of following it. It waits at most [`SPIN`], then
//! sleeps.
//!
//! While it is busy, further jobs (another document) go to tokio's blocking pool, so
//! documents are still analysed in parallel.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::Thread;
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

/// How long the thread waits on its CPU for the job of an expected change.
const SPIN: Duration = Duration::from_millis(1);

#[derive(Default)]
struct Inner {
    queue: Mutex<VecDeque<Job>>,
    expected: AtomicBool,
    /// Jobs in `queue` (read without the lock while waiting).
    pending: std::sync::atomic::AtomicUsize,
    busy: AtomicBool,
    stop: AtomicBool,
}

pub struct Worker {
    inner: Arc<Inner>,
    thread: Thread,
}

impl Worker {
    pub fn start() -> Worker {
        let inner = Arc::new(Inner::default());
        let i = inner.clone();
        let handle = std::thread::Builder::new()
            .name("nianbao-analysis".into())
            .spawn(move || run(&i))
            .expect("the analysis thread starts");
        Worker {
            inner,
            thread: handle.thread().clone(),
        }
    }

    /// Runs `job` on the analysis thread, or on tokio's blocking pool while that thread is
    /// busy. Inside the runtime.
    pub fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        if self.inner.busy.load(Ordering::Acquire) {
            drop(tokio::task::spawn_blocking(job));
            return;
        }
        self.inner
            .queue
            .lock()
            .expect("lock")
            .push_back(Box::new(job));
        self.inner.pending.fetch_add(1, Ordering::Release);
        self.thread.unpark();
    }

    /// A job is about to come: wake the thread now, to wait for it.
    pub fn expect(&self) {
        if !self.inner.busy.load(Ordering::Relaxed) {
            self.inner.expected.store(true, Ordering::Release);
            self.thread.unpark();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

fn run(inner: &Inner) {
    let next = || {
        let job = inner.queue.lock().expect("lock").pop_front();
        if job.is_some() {
            inner.pending.fetch_sub(1, Ordering::AcqRel);
        }
        job
    };
    while !inner.stop.load(Ordering::Acquire) {
        if let Some(job) = next() {
            inner.busy.store(true, Ordering::Release);
            // A panic is the job's to report (it catches its own); the thread goes on.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            inner.busy.store(false, Ordering::Release);
            continue;
        }
        if inner.expected.swap(false, Ordering::AcqRel) {
            let t = Instant::now();
            // Yielding, not spinning: the thread that is to send the job may be waiting for
            // this CPU (spinning, a third of the edits took a millisecond longer).
            while t.elapsed() < SPIN && inner.pending.load(Ordering::Acquire) == 0 {
                std::thread::yield_now();
            }
            continue;
        }
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    type Ran = (&'static str, Option<String>);

    /// Sends `what` and the name of the thread it runs on.
    fn ran(tx: &mpsc::Sender<Ran>, what: &'static str) {
        let thread = std::thread::current().name().map(String::from);
        tx.send((what, thread)).unwrap();
    }

    fn wait_while_busy(w: &Worker, busy: bool) {
        while w.inner.busy.load(Ordering::Acquire) == busy {
            std::thread::yield_now();
        }
    }

    #[tokio::test]
    async fn runs_jobs_in_order_and_uses_the_pool_while_busy() {
        let w = Worker::start();
        let (tx, rx) = mpsc::channel();
        let (release, hold) = mpsc::channel::<()>();
        // The first job holds the thread until released.
        let t = tx.clone();
        w.spawn(move || {
            hold.recv().unwrap();
            ran(&t, "held");
        });
        wait_while_busy(&w, false);
        let t = tx.clone();
        w.spawn(move || ran(&t, "while busy"));
        let (what, thread) = rx.recv().unwrap();
        assert_eq!(what, "while busy");
        assert_ne!(thread.as_deref(), Some("nianbao-analysis"));
        release.send(()).unwrap();
        let (what, thread) = rx.recv().unwrap();
        assert_eq!(
            (what, thread.as_deref()),
            ("held", Some("nianbao-analysis"))
        );
        // Expected work, then the job (once the thread is free again: a job sent while it
        // is still finishing the last one goes to the pool).
        wait_while_busy(&w, true);
        w.expect();
        w.spawn(move || ran(&tx, "after expect"));
        let (what, thread) = rx.recv().unwrap();
        assert_eq!(
            (what, thread.as_deref()),
            ("after expect", Some("nianbao-analysis"))
        );
    }
}
