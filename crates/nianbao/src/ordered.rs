//! A parallel map whose results come back in order, without waiting for the slowest item
//! of a batch: the calling thread consumes result `k` (writes a file's output) while the
//! pool's threads work on the items after it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

struct State<R> {
    /// Results not yet consumed; item `i` in slot `i % slots.len()`.
    slots: Vec<Option<R>>,
    /// How many results have been taken by the consumer.
    taken: usize,
    /// How many results are done, counting from the first, with none missing between.
    ready: usize,
    /// A worker panicked (its item's result will never come), or the consumer did.
    failed: bool,
}

struct Shared<R> {
    /// The next item to claim.
    next: AtomicUsize,
    state: Mutex<State<R>>,
    /// Signalled when a batch of results is ready for the consumer (or a worker failed).
    ready: Condvar,
    /// Signalled when the consumer takes a result: a slot is free.
    free: Condvar,
}

impl<R> Shared<R> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        // A worker that panicked holds no lock while it works: the data stays sound.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Marks the map as failed if a worker or the consumer unwinds, so that the others stop
/// waiting.
struct FailOnUnwind<'a, R>(&'a Shared<R>);

impl<R> Drop for FailOnUnwind<'_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().failed = true;
            self.0.ready.notify_all();
            self.0.free.notify_all();
        }
    }
}

/// Calls `map` on every item `0..len` on rayon's pool and `consume` with the results in
/// order, on the calling thread. A worker starts item `i` only when fewer than `window`
/// results before it wait, so memory stays bounded whatever the number of items (at most
/// `window` results in the slots, and as many in the consumer's hands). The consumer is
/// woken for a quarter of the window at a time (and at the end), not for each result: a
/// wake-up a file would take the CPU from the workers.
///
/// A panic in `map` or in `consume` is carried to the caller once the others have stopped
/// (none waits for a result or a slot that will not come). Called from one of the pool's
/// own threads (which would wait for the others while holding one of them), it maps the
/// items one by one.
pub fn map_in_order<R: Send>(
    len: usize,
    window: usize,
    map: impl Fn(usize) -> R + Sync,
    mut consume: impl FnMut(R),
) {
    if rayon::current_thread_index().is_some() {
        (0..len).for_each(|i| consume(map(i)));
        return;
    }
    let window = window.max(1);
    let shared = Shared {
        next: AtomicUsize::new(0),
        state: Mutex::new(State {
            slots: (0..window.min(len)).map(|_| None).collect(),
            taken: 0,
            ready: 0,
            failed: false,
        }),
        ready: Condvar::new(),
        free: Condvar::new(),
    };
    let batch = (window / 4).max(1);
    let workers = rayon::current_num_threads().min(len);
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                let _guard = FailOnUnwind(&shared);
                loop {
                    let i = shared.next.fetch_add(1, Ordering::Relaxed);
                    if i >= len {
                        return;
                    }
                    {
                        let mut st = shared.lock();
                        while !st.failed && i >= st.taken + window {
                            st = shared.free.wait(st).unwrap_or_else(|e| e.into_inner());
                        }
                        if st.failed {
                            return;
                        }
                    }
                    let r = map(i);
                    let mut st = shared.lock();
                    let n = st.slots.len();
                    st.slots[i % n] = Some(r);
                    let before = st.ready;
                    while st.ready < st.taken + n && st.slots[st.ready % n].is_some() {
                        st.ready += 1;
                    }
                    if st.ready != before && (st.ready - st.taken >= batch || st.ready == len) {
                        shared.ready.notify_one();
                    }
                }
            });
        }
        // A panic in `consume`: the workers waiting for free slots stop too.
        let _guard = FailOnUnwind(&shared);
        let mut taken = Vec::with_capacity(window);
        let mut k = 0;
        while k < len {
            {
                let mut st = shared.lock();
                while st.ready - st.taken < batch && st.ready < len {
                    if st.failed {
                        // The scope's end carries the worker's panic to the caller.
                        return;
                    }
                    st = shared.ready.wait(st).unwrap_or_else(|e| e.into_inner());
                }
                let n = st.slots.len();
                for j in st.taken..st.ready {
                    taken.extend(st.slots[j % n].take());
                }
                st.taken = st.ready;
            }
            shared.free.notify_all();
            k += taken.len();
            taken.drain(..).for_each(&mut consume);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on its own thread: fails, instead of hanging the test run, if it does not
    /// return within a minute (a lost wake-up).
    fn within_a_minute(f: impl FnOnce() + Send + 'static) {
        let (tx, rx) = std::sync::mpsc::channel();
        let t = std::thread::spawn(move || {
            f();
            let _ = tx.send(());
        });
        match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(()) => t.join().unwrap(),
            // The thread panicked (its assertion is printed): carry it.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                std::panic::resume_unwind(t.join().unwrap_err())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("hung"),
        }
    }

    #[test]
    fn results_come_in_order() {
        within_a_minute(|| {
            for window in [1, 2, 7, 256, 10_000] {
                let mut got = Vec::new();
                map_in_order(
                    2_000,
                    window,
                    |i| {
                        // Uneven work, so that workers finish out of order.
                        if i % 13 == 0 {
                            std::thread::sleep(std::time::Duration::from_micros(50));
                        }
                        i * 3
                    },
                    |r| got.push(r),
                );
                assert_eq!(
                    got,
                    (0..2_000).map(|i| i * 3).collect::<Vec<_>>(),
                    "{window}"
                );
            }
            let mut none = Vec::new();
            map_in_order(0, 4, |i| i, |r| none.push(r));
            assert!(none.is_empty());
        });
    }

    #[test]
    fn workers_stay_within_the_window() {
        within_a_minute(|| {
            // Results begun and not yet consumed: at most the window's slots, and as many
            // taken by the consumer at once.
            let alive = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let mut consumed = 0;
            map_in_order(
                500,
                4,
                |i| {
                    let n = alive.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(n, Ordering::SeqCst);
                    i
                },
                |i| {
                    assert_eq!(i, consumed);
                    consumed += 1;
                    // A slow consumer: the workers would run ahead.
                    std::thread::sleep(std::time::Duration::from_micros(20));
                    alive.fetch_sub(1, Ordering::SeqCst);
                },
            );
            assert_eq!(consumed, 500);
            let most = most.load(Ordering::SeqCst);
            assert!((1..=8).contains(&most), "{most} results at once");
        });
    }

    #[test]
    fn inside_the_pool_items_are_mapped_one_by_one() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut got = Vec::new();
        pool.install(|| map_in_order(3, 2, |i| i * 2, |r| got.push(r)));
        assert_eq!(got, [0, 2, 4]);
    }

    /// A panic in `map` (`in_consumer` false) or in `consume` reaches the caller; with a small
    /// window, the workers are waiting for the consumer when it panics.
    fn panics_reach_the_caller(in_consumer: bool) {
        within_a_minute(move || {
            let caught = std::panic::catch_unwind(|| {
                map_in_order(
                    1_000,
                    2,
                    |i| {
                        assert!(in_consumer || i != 40, "item 40");
                        i
                    },
                    |i| assert!(!in_consumer || i != 10, "item 10"),
                )
            });
            assert!(caught.is_err());
        });
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        panics_reach_the_caller(false);
    }

    #[test]
    fn a_panic_in_the_consumer_reaches_the_caller() {
        panics_reach_the_caller(true);
    }
}
