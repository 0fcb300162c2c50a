//! Runs a process and measures what it took: wall time, CPU time and peak
//! resident memory through GNU time (`/usr/bin/time -f "%U %S %M"`).
//! Bounds are judged on CPU time, which other work on a busy machine does
//! not inflate; the wall-clock deadline only catches a process that hangs. The kernel's `ru_maxrss`
//! for a child of the test process would count the test process's own
//! memory (a forked child starts with its parent's high-water mark), so the
//! process is started by `time`, a small process, and measured there. A
//! process still running at its deadline is killed with its process group,
//! so a test of bounded time fails instead of hanging.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIME: &str = "/usr/bin/time";

/// How a measured process ended.
#[derive(Debug)]
pub struct Measured {
    /// The exit status, or `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// User plus system CPU time, when GNU time is there to tell.
    pub cpu: Option<Duration>,
    /// Peak resident set size in MiB, when GNU time is there to tell.
    pub peak_mib: Option<u64>,
    /// Whether it was killed for running past its deadline.
    pub timed_out: bool,
}

impl Measured {
    /// Panics unless the process ended on its own before its deadline,
    /// within `seconds` of CPU time (wall time where GNU time is absent)
    /// and `mib` MiB of memory.
    pub fn assert_bounded(&self, what: &str, seconds: u64, mib: u64) {
        assert!(
            !self.timed_out,
            "{what}: still running at its deadline after {:?}\n{}",
            self.elapsed, self.stderr
        );
        let took = self.cpu.unwrap_or(self.elapsed);
        assert!(
            took <= Duration::from_secs(seconds),
            "{what}: took {took:?} (CPU), more than {seconds}s\n{}",
            self.stderr
        );
        match self.peak_mib {
            Some(peak) => assert!(
                peak <= mib,
                "{what}: peaked at {peak} MiB, more than {mib} MiB"
            ),
            None => {
                let ci = std::env::var("CI").is_ok_and(|v| v == "true");
                assert!(
                    !ci,
                    "{TIME} is missing and CI=true: memory cannot be measured"
                );
                eprintln!("skipped: {TIME} is absent, {what}'s memory is not measured");
            }
        }
    }

    /// Standard output and error together, for finding a report in either.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// `command` run under GNU time, writing its measurement to `report`.
fn under_time(command: &Command, report: &Path) -> Command {
    let mut timed = Command::new(TIME);
    timed
        .args(["-f", "%U %S %M", "-o"])
        .arg(report)
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    timed
}

/// Runs `command` (its output captured) and kills it after `deadline`.
pub fn run(command: Command, deadline: Duration) -> Measured {
    let report = tempfile::NamedTempFile::new().expect("a temporary file");
    let measured = Path::new(TIME).exists();
    let mut command = if measured {
        under_time(&command, report.path())
    } else {
        command
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let child = command.spawn().expect("start the process");
    let group = libc::pid_t::try_from(child.id()).expect("a pid");
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(Mutex::new(false));
    let watchdog = {
        let (done, killed) = (done.clone(), killed.clone());
        std::thread::spawn(move || {
            while start.elapsed() < deadline {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let mut killed = killed.lock().unwrap();
            if !done.load(Ordering::SeqCst) {
                // SAFETY: signals the process group the child leads; it is
                // still running, since `done` is set only after it ends,
                // under this lock.
                unsafe { libc::kill(-group, libc::SIGKILL) };
                *killed = true;
            }
        })
    };
    let output = child.wait_with_output().expect("wait for the process");
    let elapsed = start.elapsed();
    {
        let _guard = killed.lock().unwrap();
        done.store(true, Ordering::SeqCst);
    }
    watchdog.join().unwrap();
    let timed_out = *killed.lock().unwrap();
    // GNU time writes "Command exited with non-zero status N" first when
    // the command failed, then user and system seconds and the peak in KiB.
    let figures: Vec<String> = measured
        .then(|| std::fs::read_to_string(report.path()).ok())
        .flatten()
        .and_then(|text| Some(text.lines().last()?.to_owned()))
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let (cpu, peak_mib) = match figures.as_slice() {
        [user, system, peak] => (
            user.parse::<f64>()
                .ok()
                .zip(system.parse::<f64>().ok())
                .map(|(u, s)| Duration::from_secs_f64(u + s)),
            peak.parse::<u64>().ok().map(|kib| kib / 1024),
        ),
        _ => (None, None),
    };
    Measured {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed,
        cpu,
        peak_mib,
        timed_out,
    }
}

/// CPU time the calling thread has used so far, for bounding in-process
/// work without counting the time other processes took the cores.
pub fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread's CPU clock");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}
