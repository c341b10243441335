//! Load run against a fresh DropStream sandbox. `--help` lists the options.
//! `scripts/load.sh` builds and runs it.
//!
//! The run starts the sandbox binary on 127.0.0.1 with a temporary database,
//! signs in, runs the clients of [`clients`] until the deadline, stops the
//! sandbox, checks the database file with [`checks`], and prints the figures.
//! It exits with 1 when any request failed or any check did not pass, and
//! with 2 for invalid options.

mod checks;
mod clients;
mod options;
mod report;
mod sandbox_process;

use base64::Engine;
use clients::{ClientOutcome, LoadPlan};
use options::{Command, Options};
use sandbox_process::SandboxProcess;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::Instant;

/// The demo account that the sandbox seeds into a new database.
const USERNAME: &str = "demo";
const PASSWORD: &str = "demo-password";

fn main() -> ExitCode {
    let command = options::parse_command(std::env::args().skip(1), |name| std::env::var(name).ok());
    match command {
        Ok(Command::Help) => {
            print!("{}", options::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::Run(options)) => match run(&options) {
            Ok(true) => {
                println!("\nresult: PASS");
                ExitCode::SUCCESS
            }
            Ok(false) => {
                println!("\nresult: FAIL");
                ExitCode::FAILURE
            }
            Err(message) => {
                eprintln!("The load run failed: {message}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("{message}\n\n{}", options::USAGE);
            ExitCode::from(2)
        }
    }
}

/// Runs the load and the checks, and returns whether everything passed.
fn run(options: &Options) -> Result<bool, String> {
    let binary = match &options.sandbox {
        Some(path) => path.clone(),
        None => default_sandbox_binary()?,
    };
    let temp_dir = tempfile::tempdir()
        .map_err(|error| format!("Failed to create a temporary directory: {error}"))?;
    let db_path = temp_dir.path().join("load.sqlite3");
    let log_path = temp_dir.path().join("sandbox.log");

    let sandbox = SandboxProcess::start(&binary, &db_path, &log_path)?;
    println!(
        "sandbox: {} ({}), database {}, log level warn",
        sandbox.base_url,
        binary.display(),
        db_path.display()
    );
    println!(
        "load: {} clients for {} s; {}% of requests create, and {:.0}% of creates are sent twice with one Idempotency-Key",
        options.clients,
        options.duration.as_secs(),
        clients::CREATE_PERCENT,
        clients::RETRIED_CREATE_FRACTION * 100.0
    );

    let agent = clients::new_agent();
    let token = sign_in(&agent, &sandbox.base_url)?;
    let targets = connection_targets(&agent, &sandbox.base_url, &token)?;
    let baseline = checks::read_baseline(&db_path)?;

    let started = Instant::now();
    let plan = Arc::new(LoadPlan {
        base_url: sandbox.base_url.clone(),
        token,
        targets,
        run_id: format!("load-{:08x}", rand::random::<u32>()),
        deadline: started + options.duration,
    });
    let outcomes = run_clients(&plan, options.clients)?;
    let elapsed = started.elapsed();

    let stop = sandbox.stop();
    let logged_errors = sandbox_process::count_logged_errors(&log_path);
    let samples: Vec<_> = outcomes
        .iter()
        .flat_map(|outcome| outcome.samples.iter().copied())
        .collect();
    let created: Vec<_> = outcomes
        .iter()
        .flat_map(|outcome| outcome.created.iter().cloned())
        .collect();
    let failures: Vec<String> = outcomes
        .iter()
        .flat_map(|outcome| outcome.failures.iter().cloned())
        .collect();
    let failure_count = outcomes.iter().map(|outcome| outcome.failure_count).sum();

    let mut checks = checks::check_database(&db_path, &baseline, &created, failure_count)?;
    checks.push(checks::Check {
        name: "sandbox stopped cleanly on SIGTERM",
        passed: matches!(&stop, Ok(status) if status.success()),
        detail: match &stop {
            Ok(status) => status.to_string(),
            Err(message) => message.clone(),
        },
    });
    checks.push(checks::Check {
        name: "sandbox logged no errors",
        passed: logged_errors == 0,
        detail: format!("{logged_errors} ERROR lines"),
    });

    report::print_report(&samples, elapsed, &failures, failure_count, &checks);
    let passed = checks.iter().all(|check| check.passed);
    if !passed {
        println!(
            "\nlast lines of the sandbox log:\n{}",
            sandbox_process::log_tail(&log_path)
        );
    }
    Ok(passed)
}

/// Returns `dropstream-sandbox` in the directory above this program's, which
/// is where Cargo puts it: `target/release/examples/load` runs
/// `target/release/dropstream-sandbox`.
fn default_sandbox_binary() -> Result<PathBuf, String> {
    let program = std::env::current_exe()
        .map_err(|error| format!("Failed to find this program's path: {error}"))?;
    program
        .parent()
        .and_then(|examples_dir| examples_dir.parent())
        .map(|profile_dir| profile_dir.join("dropstream-sandbox"))
        .ok_or_else(|| {
            format!(
                "No directory above {}; pass --sandbox PATH.",
                program.display()
            )
        })
}

fn sign_in(agent: &ureq::Agent, base_url: &str) -> Result<String, String> {
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"));
    let mut response = agent
        .post(format!("{base_url}/api/auth/token"))
        .header("Authorization", format!("Basic {credentials}"))
        .header("Content-Type", "application/json")
        .send(json!({"grant_type": "client_credentials"}).to_string())
        .map_err(|error| format!("Signing in failed: {error}"))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|error| format!("Reading the sign-in response failed: {error}"))?;
    let token = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|body| body["access_token"].as_str().map(str::to_string));
    match (status, token) {
        (200, Some(token)) => Ok(token),
        _ => Err(format!("Signing in failed with status {status}: {text}")),
    }
}

/// Returns every merchant and warehouse pair that a connection may use, read
/// from `GET /warehouses`.
fn connection_targets(
    agent: &ureq::Agent,
    base_url: &str,
    token: &str,
) -> Result<Vec<(i64, i64)>, String> {
    let mut response = agent
        .get(format!("{base_url}/api/warehouses"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .map_err(|error| format!("Listing the warehouses failed: {error}"))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|error| format!("Reading the warehouses failed: {error}"))?;
    let warehouses: Value = serde_json::from_str(&text)
        .map_err(|error| format!("The warehouses are not JSON ({error}): {text}"))?;
    let targets: Vec<(i64, i64)> = warehouses
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|warehouse| {
            Some((
                warehouse["customer_id"].as_i64()?,
                warehouse["id"].as_i64()?,
            ))
        })
        .collect();
    if targets.is_empty() {
        return Err(format!("The sandbox lists no warehouses: {text}"));
    }
    Ok(targets)
}

/// Runs the clients on their own threads and collects what each saw.
fn run_clients(plan: &Arc<LoadPlan>, clients: usize) -> Result<Vec<ClientOutcome>, String> {
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let plan = Arc::clone(plan);
            thread::Builder::new()
                .name(format!("client {client}"))
                .spawn(move || clients::run_client(&plan, client))
                .map_err(|error| format!("Failed to start client {client}: {error}"))
        })
        .collect::<Result<_, _>>()?;
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .map_err(|_| "A client thread panicked.".to_string())
        })
        .collect()
}
