//! Starts the DropStream API sandbox. `--help` lists the options.

use dropstream_sandbox::config::{self, Command, Config};
use dropstream_sandbox::db::Database;
use dropstream_sandbox::seed::{DEMO_PASSWORD, DEMO_USERNAME};
use dropstream_sandbox::{AppState, router};
use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let command = config::parse_command(std::env::args().skip(1), |name| std::env::var(name).ok());
    match command {
        Ok(Command::Help) => {
            print!("{}", config::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::Run(config)) => match run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                tracing::error!("{message}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("{message}\n\n{}", config::USAGE);
            ExitCode::from(2)
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    // Bind first, so that a busy port fails before any file is created.
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| format!("Failed to listen on {address}: {error}"))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("Failed to read the listening address: {error}"))?;

    let db_path = &config.db_path;
    let db = Database::open(db_path)
        .map_err(|error| format!("Failed to open the database {}: {error}", db_path.display()))?;
    // The file exists now, so the absolute path can be shown.
    let db_path = std::fs::canonicalize(db_path).unwrap_or_else(|_| db_path.clone());

    println!("DropStream sandbox listening on http://{address}/");
    println!("Sign in with username {DEMO_USERNAME} and password {DEMO_PASSWORD}");
    println!("Database: {}", db_path.display());
    tracing::info!(
        %address,
        db = %db_path.display(),
        dist = %config.dist_dir.display(),
        test_faults = config.test_faults,
        "sandbox started"
    );

    let state = AppState::new(db, config.dist_dir, config.test_faults);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("The server failed: {error}"))?;
    tracing::info!("sandbox stopped");
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "failed to listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "failed to listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
