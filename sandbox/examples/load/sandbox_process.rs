//! The sandbox under load: a child process on 127.0.0.1 with its own
//! temporary database, stopped with SIGTERM at the end.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long the sandbox may take to print its address.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a graceful stop may take before the sandbox is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running sandbox, killed when dropped if it was not stopped.
pub struct SandboxProcess {
    child: Child,
    /// The base URL, such as `http://127.0.0.1:41234`, without a trailing slash.
    pub base_url: String,
    /// Reads the child's stdout to its end, so that the pipe stays open.
    _stdout_reader: JoinHandle<()>,
}

impl SandboxProcess {
    /// Starts `binary` on port 0 with the database `db_path`, sending its
    /// log to `log_path` at the `warn` level, so that one log line per
    /// request does not slow the run, and waits for the address it prints.
    pub fn start(binary: &Path, db_path: &Path, log_path: &Path) -> Result<Self, String> {
        let log = File::create(log_path)
            .map_err(|error| format!("Failed to create {}: {error}", log_path.display()))?;
        // The page directory need not exist: the run uses the API only.
        let dist_dir = db_path.with_file_name("dist");
        let mut child = Command::new(binary)
            .arg("--port")
            .arg("0")
            .arg("--db")
            .arg(db_path)
            .arg("--dist")
            .arg(dist_dir)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|error| {
                format!(
                    "Failed to start the sandbox {}: {error}. Build it with \
                     cargo build --release -p dropstream-sandbox, or pass --sandbox PATH.",
                    binary.display()
                )
            })?;

        let Some(stdout) = child.stdout.take() else {
            return Err("The sandbox's stdout was not piped.".to_string());
        };
        let (lines, received) = mpsc::channel();
        let stdout_reader = thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // After the address is read the receiver is gone, so sends fail and are ignored.
                let _ = lines.send(line);
            }
        });

        let deadline = Instant::now() + STARTUP_TIMEOUT;
        let base_url = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(remaining) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("DropStream sandbox listening on ") {
                        break url.trim_end_matches('/').to_string();
                    }
                }
                Err(error) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "The sandbox printed no address ({error}). Its log:\n{}",
                        log_tail(log_path)
                    ));
                }
            }
        };
        if !base_url.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "The sandbox listens on {base_url}, not on 127.0.0.1; the load run targets loopback only."
            ));
        }

        Ok(SandboxProcess {
            child,
            base_url,
            _stdout_reader: stdout_reader,
        })
    }

    /// Stops the sandbox with SIGTERM, which it handles by finishing its
    /// requests and closing the database, and waits for it to exit. Kills it
    /// after [`STOP_TIMEOUT`]. Returns its exit status.
    pub fn stop(mut self) -> Result<ExitStatus, String> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .map_err(|error| format!("Failed to run kill -TERM {pid}: {error}"))?;
        if !sent.success() {
            return Err(format!("kill -TERM {pid} failed with {sent}"));
        }

        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
                Ok(None) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return Err(format!(
                        "The sandbox did not stop within {} s of SIGTERM and was killed.",
                        STOP_TIMEOUT.as_secs()
                    ));
                }
                Err(error) => return Err(format!("Failed to wait for the sandbox: {error}")),
            }
        }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Returns the last lines of the sandbox's log, for error messages.
pub fn log_tail(log_path: &Path) -> String {
    let text = std::fs::read_to_string(log_path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Counts the lines of the sandbox's log at the ERROR level.
pub fn count_logged_errors(log_path: &Path) -> usize {
    std::fs::read_to_string(log_path)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains(" ERROR "))
        .count()
}
