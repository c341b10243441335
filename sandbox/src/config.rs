//! Command-line options and environment variables. An option given on the
//! command line wins over its environment variable.

use std::path::PathBuf;

/// The port used when neither `--port` nor `DROPSTREAM_SANDBOX_PORT` is set.
pub const DEFAULT_PORT: u16 = 8080;
/// The database file used when neither `--db` nor `DROPSTREAM_SANDBOX_DB` is set.
pub const DEFAULT_DB_PATH: &str = "dropstream-sandbox.sqlite3";
/// The page directory used when neither `--dist` nor `DROPSTREAM_SANDBOX_DIST` is set.
pub const DEFAULT_DIST_DIR: &str = "dist";

/// The text printed by `--help`.
pub const USAGE: &str = "\
DropStream API sandbox: a local DropStream API over SQLite that also serves the built page.

Usage: dropstream-sandbox [OPTIONS]

Options:
  --port N        TCP port to listen on at 127.0.0.1; 0 picks a free port
                  [env DROPSTREAM_SANDBOX_PORT, default 8080]
  --db PATH       SQLite database file, created and seeded when missing
                  [env DROPSTREAM_SANDBOX_DB, default dropstream-sandbox.sqlite3]
  --dist DIR      directory of the built page, served at /
                  [env DROPSTREAM_SANDBOX_DIST, default dist]
  --test-faults   enable the test endpoints under /api/_test (fault injection,
                  token expiry) [env DROPSTREAM_SANDBOX_TEST_FAULTS=1]
  -h, --help      print this help and exit

Logs go to stderr; RUST_LOG sets the level (default info).
";

/// Everything the server needs to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The TCP port on 127.0.0.1, where 0 lets the operating system pick one.
    pub port: u16,
    /// The SQLite database file.
    pub db_path: PathBuf,
    /// The directory of the built page.
    pub dist_dir: PathBuf,
    /// Whether the `/api/_test` endpoints exist.
    pub test_faults: bool,
}

/// The action that the command line requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Print [`USAGE`] and exit.
    Help,
    /// Start the server.
    Run(Config),
}

/// Parses the arguments (without the program name) over the environment
/// variables, which `env` looks up by name. Returns a message naming the bad
/// value when an argument or variable is invalid.
pub fn parse_command(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut port = env("DROPSTREAM_SANDBOX_PORT")
        .map(|value| parse_port(&value, "DROPSTREAM_SANDBOX_PORT"))
        .transpose()?;
    let mut db_path = env("DROPSTREAM_SANDBOX_DB").map(PathBuf::from);
    let mut dist_dir = env("DROPSTREAM_SANDBOX_DIST").map(PathBuf::from);
    let mut test_faults = match env("DROPSTREAM_SANDBOX_TEST_FAULTS") {
        Some(value) => parse_switch(&value, "DROPSTREAM_SANDBOX_TEST_FAULTS")?,
        None => false,
    };

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Both `--port 9000` and `--port=9000` are accepted.
        let (option, inline_value) = match arg.split_once('=') {
            Some((option, value)) if option.starts_with("--") => {
                (option.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value_of = |option: &str| {
            inline_value
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("The option {option} needs a value."))
        };
        match option.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" => port = Some(parse_port(&value_of("--port")?, "--port")?),
            "--db" => db_path = Some(PathBuf::from(value_of("--db")?)),
            "--dist" => dist_dir = Some(PathBuf::from(value_of("--dist")?)),
            "--test-faults" if inline_value.is_none() => test_faults = true,
            _ => return Err(format!("Unknown argument {arg:?}.")),
        }
    }

    Ok(Command::Run(Config {
        port: port.unwrap_or(DEFAULT_PORT),
        db_path: db_path.unwrap_or_else(|| PathBuf::from(DEFAULT_DB_PATH)),
        dist_dir: dist_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DIST_DIR)),
        test_faults,
    }))
}

fn parse_port(value: &str, source: &str) -> Result<u16, String> {
    value
        .trim()
        .parse::<u16>()
        .map_err(|_| format!("{source} must be a port number from 0 to 65535, not {value:?}."))
}

fn parse_switch(value: &str, source: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{source} must be 1 or 0, not {value:?}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Command, String> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        parse_command(args.iter().map(|arg| arg.to_string()), |name| {
            env.get(name).cloned()
        })
    }

    fn run(args: &[&str], env: &[(&str, &str)]) -> Config {
        match parse(args, env) {
            Ok(Command::Run(config)) => config,
            other => panic!("expected a config, got {other:?}"),
        }
    }

    #[test]
    fn defaults_without_arguments() {
        let config = run(&[], &[]);
        assert_eq!(config.port, 8080);
        assert_eq!(config.db_path, PathBuf::from("dropstream-sandbox.sqlite3"));
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        assert!(!config.test_faults);
    }

    #[test]
    fn arguments_in_both_forms() {
        let config = run(
            &[
                "--port",
                "0",
                "--db=/tmp/x.db",
                "--dist",
                "out",
                "--test-faults",
            ],
            &[],
        );
        assert_eq!(config.port, 0);
        assert_eq!(config.db_path, PathBuf::from("/tmp/x.db"));
        assert_eq!(config.dist_dir, PathBuf::from("out"));
        assert!(config.test_faults);
    }

    #[test]
    fn environment_is_used_and_arguments_win() {
        let env = [
            ("DROPSTREAM_SANDBOX_PORT", "9001"),
            ("DROPSTREAM_SANDBOX_DB", "env.db"),
            ("DROPSTREAM_SANDBOX_DIST", "env-dist"),
            ("DROPSTREAM_SANDBOX_TEST_FAULTS", "1"),
        ];
        let config = run(&[], &env);
        assert_eq!(config.port, 9001);
        assert_eq!(config.db_path, PathBuf::from("env.db"));
        assert_eq!(config.dist_dir, PathBuf::from("env-dist"));
        assert!(config.test_faults);
        assert_eq!(run(&["--port", "9002"], &env).port, 9002);
    }

    #[test]
    fn help_wins_over_other_arguments() {
        assert_eq!(parse(&["--port", "1", "--help"], &[]), Ok(Command::Help));
        assert_eq!(parse(&["-h"], &[]), Ok(Command::Help));
    }

    #[test]
    fn invalid_values_are_rejected() {
        assert!(
            parse(&["--port", "http"], &[])
                .unwrap_err()
                .contains("--port")
        );
        assert!(parse(&["--port", "70000"], &[]).is_err());
        assert!(
            parse(&["--port"], &[])
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&["--verbose"], &[])
                .unwrap_err()
                .contains("--verbose")
        );
        assert!(parse(&["--test-faults=1"], &[]).is_err());
        let error = parse(&[], &[("DROPSTREAM_SANDBOX_TEST_FAULTS", "maybe")]).unwrap_err();
        assert!(error.contains("DROPSTREAM_SANDBOX_TEST_FAULTS"));
        let error = parse(&[], &[("DROPSTREAM_SANDBOX_PORT", "x")]).unwrap_err();
        assert!(error.contains("DROPSTREAM_SANDBOX_PORT"));
    }
}
