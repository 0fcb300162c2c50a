//! Waiting for an exclusive lock on a file that another feedfold process
//! holds (the store's writer lock, the feeds folder's publishing lock, the
//! config file while `sources import` edits it), as
//! long as the other needs, and telling the user of a long wait: after
//! 2 s on standard error (without `--quiet`), and after 5 minutes as a
//! warning (with it too: a process that holds the lock this long may be
//! stopped or stuck).

use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long a process waits at a lock before it says so, and before it
/// warns.
const WAIT_TOLD: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(300)];

/// A lock that may keep a process waiting, as its messages name it.
#[derive(Debug, Clone, Copy)]
pub struct Lock<'a> {
    /// The lock file.
    pub file: &'a Path,
    /// What it guards: `the store`, `the feeds folder`.
    pub guards: &'a str,
    /// What its holder does while it holds it: `writing`, `publishing`.
    pub holder_is: &'a str,
}

/// Takes the exclusive lock of `file` (`lock` names it), waiting for
/// another process that holds it as long as that needs, and telling of a
/// long wait.
pub fn lock_telling_of_the_wait(file: &File, lock: Lock<'_>) -> std::io::Result<()> {
    lock_telling(file, &WAIT_TOLD, |told, waited| tell(lock, told, waited))
}

/// Takes the exclusive lock of `file`, calling `tell` with the number of
/// the moment and the time waited at each of `moments` the wait lasts.
fn lock_telling(
    file: &File,
    moments: &[Duration],
    tell: impl Fn(usize, Duration) + Send,
) -> std::io::Result<()> {
    match file.try_lock() {
        Ok(()) => return Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    // Blocked in the lock (so waiters still take turns at every release),
    // while another thread tells of a long wait.
    let (taken, waiting) = channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || tell_at(&waiting, moments, &tell));
        let locked = file.lock();
        drop(taken);
        locked
    })
}

/// Calls `tell` at each of `moments` until `waiting` ends.
fn tell_at(waiting: &Receiver<()>, moments: &[Duration], tell: &impl Fn(usize, Duration)) {
    let started = Instant::now();
    for (told, &after) in moments.iter().enumerate() {
        let left = after.saturating_sub(started.elapsed());
        if waiting.recv_timeout(left) != Err(RecvTimeoutError::Timeout) {
            return;
        }
        tell(told, started.elapsed());
    }
}

/// Says that this process has waited `waited` for `lock`: at first as
/// information, later (`told` past 0) as a warning.
fn tell(lock: Lock<'_>, told: usize, waited: Duration) {
    let Lock {
        file,
        guards,
        holder_is,
    } = lock;
    let seconds = waited.as_secs();
    if told == 0 {
        tracing::info!(
            "waiting for {guards}: another feedfold process holds {} (waited {seconds} s; feedfold waits as long as the other is {holder_is})",
            file.display()
        );
    } else {
        tracing::warn!(
            "still waiting for {guards} after {seconds} s: another feedfold process holds {} (a run or server stopped or stuck while {holder_is}?)",
            file.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn lock_file(dir: &Path) -> File {
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))
            .unwrap()
    }

    #[test]
    fn a_free_lock_is_taken_without_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let told = Mutex::new(Vec::new());
        let moments = [Duration::ZERO];
        lock_telling(&lock_file(dir.path()), &moments, |n, _| {
            told.lock().unwrap().push(n)
        })
        .unwrap();
        assert!(told.lock().unwrap().is_empty());
    }

    #[test]
    fn a_long_wait_is_told_at_each_moment_it_lasts_and_then_the_lock_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let holder = lock_file(dir.path());
        holder.lock().unwrap();
        let told = Mutex::new(Vec::new());
        let moments = [
            Duration::from_millis(50),
            Duration::from_millis(100),
            Duration::from_secs(300),
        ];
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let file = lock_file(dir.path());
                lock_telling(&file, &moments, |n, waited| {
                    told.lock().unwrap().push((n, waited))
                })
            });
            while told.lock().unwrap().len() < 2 {
                std::thread::sleep(Duration::from_millis(10));
            }
            holder.unlock().unwrap();
            waiter.join().unwrap().unwrap();
        });
        let told = told.into_inner().unwrap();
        assert_eq!(told.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [0, 1]);
        assert!(
            told[0].1 >= moments[0] && told[1].1 >= moments[1],
            "{told:?}"
        );
    }
}
