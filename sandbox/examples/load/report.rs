//! Latency percentiles and the printed report.

use crate::checks::Check;
use crate::clients::{Kind, Sample};
use std::time::Duration;

/// The maximum number of failure messages printed. All failures are counted.
const MAX_PRINTED_FAILURES: usize = 10;

/// The latency figures of one kind of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LatencySummary {
    pub count: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Summarises latencies with nearest-rank percentiles: the p-th percentile
/// is the smallest latency that at least p percent of requests did not exceed.
/// Returns `None` for no latencies.
pub fn summarise(latencies: &mut [Duration]) -> Option<LatencySummary> {
    if latencies.is_empty() {
        return None;
    }
    latencies.sort_unstable();
    let percentile = |p: usize| {
        let rank = (p * latencies.len()).div_ceil(100).max(1);
        latencies[rank - 1]
    };
    Some(LatencySummary {
        count: latencies.len(),
        p50: percentile(50),
        p90: percentile(90),
        p99: percentile(99),
        max: latencies[latencies.len() - 1],
    })
}

/// Prints the request counts, throughput, latency table and checks.
pub fn print_report(
    samples: &[Sample],
    elapsed: Duration,
    failures: &[String],
    failure_count: usize,
    checks: &[Check],
) {
    let seconds = elapsed.as_secs_f64();
    println!();
    println!(
        "requests: {} in {seconds:.2} s ({failure_count} failed)",
        samples.len()
    );
    println!(
        "throughput: {:.1} requests/s",
        samples.len() as f64 / seconds
    );
    println!();
    println!(
        "{:<26} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "latency (ms)", "count", "p50", "p90", "p99", "max"
    );
    for kind in Kind::ALL {
        let mut latencies: Vec<Duration> = samples
            .iter()
            .filter(|sample| sample.kind == kind)
            .map(|sample| sample.latency)
            .collect();
        print_row(kind.label(), summarise(&mut latencies));
    }
    let mut all: Vec<Duration> = samples.iter().map(|sample| sample.latency).collect();
    print_row("all", summarise(&mut all));

    if !failures.is_empty() {
        println!();
        println!("first failures:");
        for failure in failures.iter().take(MAX_PRINTED_FAILURES) {
            println!("  {failure}");
        }
    }

    println!();
    println!("checks:");
    for check in checks {
        let verdict = if check.passed { "PASS" } else { "FAIL" };
        println!("  {verdict}  {} ({})", check.name, check.detail);
    }
}

fn print_row(label: &str, summary: Option<LatencySummary>) {
    let Some(summary) = summary else {
        println!("{label:<26} {:>8}", 0);
        return;
    };
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "{label:<26} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
        summary.count,
        ms(summary.p50),
        ms(summary.p90),
        ms(summary.p99),
        ms(summary.max)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&ms| Duration::from_millis(ms)).collect()
    }

    #[test]
    fn nearest_rank_percentiles_of_one_to_hundred() {
        let mut latencies = millis(&(1..=100).rev().collect::<Vec<_>>());
        let summary = summarise(&mut latencies).unwrap();
        assert_eq!(summary.count, 100);
        assert_eq!(summary.p50, Duration::from_millis(50));
        assert_eq!(summary.p90, Duration::from_millis(90));
        assert_eq!(summary.p99, Duration::from_millis(99));
        assert_eq!(summary.max, Duration::from_millis(100));
    }

    #[test]
    fn single_latency_is_every_percentile() {
        let summary = summarise(&mut millis(&[7])).unwrap();
        assert_eq!(
            (summary.p50, summary.p99, summary.max),
            (
                Duration::from_millis(7),
                Duration::from_millis(7),
                Duration::from_millis(7)
            )
        );
    }

    #[test]
    fn small_sample_rounds_rank_up() {
        // Ranks: p50 of 3 is the 2nd, p90 and p99 the 3rd.
        let summary = summarise(&mut millis(&[30, 10, 20])).unwrap();
        assert_eq!(summary.p50, Duration::from_millis(20));
        assert_eq!(summary.p90, Duration::from_millis(30));
        assert_eq!(summary.p99, Duration::from_millis(30));
    }

    #[test]
    fn no_latencies_give_no_summary() {
        assert_eq!(summarise(&mut []), None);
    }
}
