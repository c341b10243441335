//! Command-line options and environment variables of the load run. An option
//! given on the command line wins over its environment variable.

use std::path::PathBuf;
use std::time::Duration;

/// Concurrent clients when neither `--clients` nor `DROPSTREAM_LOAD_CLIENTS` is set.
pub const DEFAULT_CLIENTS: usize = 50;
/// Seconds of load when neither `--duration` nor `DROPSTREAM_LOAD_SECONDS` is set.
pub const DEFAULT_SECONDS: u64 = 30;
/// The maximum number of clients, each with its own thread and connection.
pub const MAX_CLIENTS: usize = 500;
/// The maximum run length, in seconds, which keeps every run bounded in time.
pub const MAX_SECONDS: u64 = 600;

/// The text printed by `--help`.
pub const USAGE: &str = "\
Load run against a fresh DropStream sandbox on 127.0.0.1: starts the sandbox
binary on a temporary database, signs in, runs concurrent clients that read
the lists and create connections, stops the sandbox, checks the database
file, and prints throughput, latency percentiles and the checks' results.
Exits with 1 when any request failed or any check did not pass.

Usage: load [OPTIONS]

Options:
  -c, --clients N       concurrent clients, 1 to 500
                        [env DROPSTREAM_LOAD_CLIENTS, default 50]
  -d, --duration SECS   seconds of load, 1 to 600
                        [env DROPSTREAM_LOAD_SECONDS, default 30]
  --sandbox PATH        the dropstream-sandbox binary to start
                        [default: dropstream-sandbox in the directory above
                        this program's, as in target/release]
  -h, --help            print this help and exit
";

/// Everything a run needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The number of concurrent clients.
    pub clients: usize,
    /// How long the clients start new requests.
    pub duration: Duration,
    /// The sandbox binary, or `None` for the default next to this program.
    pub sandbox: Option<PathBuf>,
}

/// The action that the command line requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Print [`USAGE`] and exit.
    Help,
    /// Run the load.
    Run(Options),
}

/// Parses the arguments (without the program name) over the environment
/// variables, which `env` looks up by name. Returns a message naming the bad
/// value when an argument or variable is invalid.
pub fn parse_command(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut clients = env("DROPSTREAM_LOAD_CLIENTS")
        .map(|value| parse_clients(&value, "DROPSTREAM_LOAD_CLIENTS"))
        .transpose()?;
    let mut seconds = env("DROPSTREAM_LOAD_SECONDS")
        .map(|value| parse_seconds(&value, "DROPSTREAM_LOAD_SECONDS"))
        .transpose()?;
    let mut sandbox = None;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Both `--clients 5` and `--clients=5` are accepted.
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
            "-c" | "--clients" => clients = Some(parse_clients(&value_of(&option)?, &option)?),
            "-d" | "--duration" => seconds = Some(parse_seconds(&value_of(&option)?, &option)?),
            "--sandbox" => sandbox = Some(PathBuf::from(value_of("--sandbox")?)),
            _ => return Err(format!("Unknown argument {arg:?}.")),
        }
    }

    Ok(Command::Run(Options {
        clients: clients.unwrap_or(DEFAULT_CLIENTS),
        duration: Duration::from_secs(seconds.unwrap_or(DEFAULT_SECONDS)),
        sandbox,
    }))
}

fn parse_clients(value: &str, source: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(clients) if (1..=MAX_CLIENTS).contains(&clients) => Ok(clients),
        _ => Err(format!(
            "{source} must be a number of clients from 1 to {MAX_CLIENTS}, not {value:?}."
        )),
    }
}

fn parse_seconds(value: &str, source: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(seconds) if (1..=MAX_SECONDS).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "{source} must be a number of seconds from 1 to {MAX_SECONDS}, not {value:?}."
        )),
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

    fn run(args: &[&str], env: &[(&str, &str)]) -> Options {
        match parse(args, env) {
            Ok(Command::Run(options)) => options,
            other => panic!("expected options, got {other:?}"),
        }
    }

    #[test]
    fn defaults_without_arguments() {
        let options = run(&[], &[]);
        assert_eq!(options.clients, 50);
        assert_eq!(options.duration, Duration::from_secs(30));
        assert_eq!(options.sandbox, None);
    }

    #[test]
    fn short_long_and_inline_forms() {
        let options = run(&["-c", "5", "-d", "3"], &[]);
        assert_eq!((options.clients, options.duration.as_secs()), (5, 3));
        let options = run(&["--clients=7", "--duration", "2", "--sandbox", "bin"], &[]);
        assert_eq!((options.clients, options.duration.as_secs()), (7, 2));
        assert_eq!(options.sandbox, Some(PathBuf::from("bin")));
    }

    #[test]
    fn environment_is_used_and_arguments_win() {
        let env = [
            ("DROPSTREAM_LOAD_CLIENTS", "9"),
            ("DROPSTREAM_LOAD_SECONDS", "4"),
        ];
        let options = run(&[], &env);
        assert_eq!((options.clients, options.duration.as_secs()), (9, 4));
        assert_eq!(run(&["-c", "2"], &env).clients, 2);
    }

    #[test]
    fn out_of_range_values_are_rejected() {
        for args in [
            &["-c", "0"][..],
            &["-c", "501"],
            &["-d", "0"],
            &["-d", "601"],
            &["-d", "1.5"],
            &["-c"],
            &["--rate", "5"],
        ] {
            assert!(parse(args, &[]).is_err(), "{args:?}");
        }
        let error = parse(&[], &[("DROPSTREAM_LOAD_SECONDS", "forever")]).unwrap_err();
        assert!(error.contains("DROPSTREAM_LOAD_SECONDS"), "{error}");
    }

    #[test]
    fn help_wins_over_other_arguments() {
        assert_eq!(parse(&["-c", "5", "--help"], &[]), Ok(Command::Help));
    }
}
