//! The load clients. Each runs on its own thread with its own keep-alive
//! connection, and until the deadline picks a request at random: one of
//! the four list reads, or a create of a connection with a new store.
//! Some creates carry an `Idempotency-Key` and are sent a second time, as a
//! client does when it lost the first response.

use rand::Rng;
use serde_json::{Value, json};
use std::io;
use std::time::{Duration, Instant};

/// The share of requests that are creates, in percent. The rest are reads,
/// split evenly between the four lists.
pub const CREATE_PERCENT: u32 = 20;
/// The share of creates that carry an idempotency key and are retried.
pub const RETRIED_CREATE_FRACTION: f64 = 0.25;
/// How long one request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The maximum number of failure messages a client keeps. All failures are counted.
const MAX_KEPT_FAILURES: usize = 10;

/// The kind of a request, for the latency table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Customers,
    Warehouses,
    Stores,
    Connections,
    Create,
    CreateRetry,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::Customers,
        Kind::Warehouses,
        Kind::Stores,
        Kind::Connections,
        Kind::Create,
        Kind::CreateRetry,
    ];

    /// Returns the request as shown in the report.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Customers => "GET /customers",
            Kind::Warehouses => "GET /warehouses",
            Kind::Stores => "GET /stores",
            Kind::Connections => "GET /connections",
            Kind::Create => "POST /connections",
            Kind::CreateRetry => "POST /connections retry",
        }
    }

    fn list_path(self) -> Option<&'static str> {
        match self {
            Kind::Customers => Some("/api/customers"),
            Kind::Warehouses => Some("/api/warehouses"),
            Kind::Stores => Some("/api/stores"),
            Kind::Connections => Some("/api/connections"),
            Kind::Create | Kind::CreateRetry => None,
        }
    }
}

/// One request's kind and its time from sending to the end of the body.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub kind: Kind,
    pub latency: Duration,
}

/// A connection that the sandbox reported as created with 201.
#[derive(Clone, Debug)]
pub struct CreatedConnection {
    pub id: i64,
    pub name: String,
    /// Whether the create carried an idempotency key and was retried.
    pub keyed: bool,
}

/// Everything one client saw.
#[derive(Debug, Default)]
pub struct ClientOutcome {
    pub samples: Vec<Sample>,
    pub created: Vec<CreatedConnection>,
    /// How many requests failed: a transport error or an unexpected response.
    pub failure_count: usize,
    /// The first [`MAX_KEPT_FAILURES`] failures, described.
    pub failures: Vec<String>,
}

impl ClientOutcome {
    fn fail(&mut self, kind: Kind, detail: String) {
        self.failure_count += 1;
        if self.failures.len() < MAX_KEPT_FAILURES {
            self.failures.push(format!("{}: {detail}", kind.label()));
        }
    }
}

/// The shared settings of every client.
pub struct LoadPlan {
    pub base_url: String,
    pub token: String,
    /// Merchant and warehouse pairs that a new connection may use.
    pub targets: Vec<(i64, i64)>,
    /// A prefix that makes this run's names unique, in ASCII, because
    /// idempotency keys are made from the names.
    pub run_id: String,
    pub deadline: Instant,
}

/// Builds an HTTP client that returns every status as a response, uses no
/// proxy, and gives up on a request after [`REQUEST_TIMEOUT`].
pub fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .build()
        .into()
}

/// Runs one client until the plan's deadline. Requests already started
/// finish, so a client can end up to one create and its retry late.
pub fn run_client(plan: &LoadPlan, client: usize) -> ClientOutcome {
    let agent = new_agent();
    let mut rng = rand::rng();
    let mut outcome = ClientOutcome::default();
    let mut sequence = 0;

    while Instant::now() < plan.deadline {
        if rng.random_range(0..100) < CREATE_PERCENT {
            sequence += 1;
            let name = format!("{} client {client} create {sequence}", plan.run_id);
            let target = plan.targets[rng.random_range(0..plan.targets.len())];
            let keyed = rng.random_bool(RETRIED_CREATE_FRACTION);
            create(&agent, plan, &name, target, keyed, &mut outcome);
        } else {
            let kind = Kind::ALL[rng.random_range(0..4)];
            read_list(&agent, plan, kind, &mut outcome);
        }
    }
    outcome
}

fn read_list(agent: &ureq::Agent, plan: &LoadPlan, kind: Kind, outcome: &mut ClientOutcome) {
    let Some(path) = kind.list_path() else {
        return;
    };
    let started = Instant::now();
    let result = agent
        .get(format!("{}{path}", plan.base_url))
        .header("Authorization", format!("Bearer {}", plan.token))
        .call()
        .and_then(|mut response| {
            // Read the whole body, so that the latency includes it and the
            // connection can be reused.
            io::copy(&mut response.body_mut().as_reader(), &mut io::sink())?;
            Ok(response.status().as_u16())
        });
    outcome.samples.push(Sample {
        kind,
        latency: started.elapsed(),
    });
    match result {
        Ok(200) => {}
        Ok(status) => outcome.fail(kind, format!("status {status}")),
        Err(error) => outcome.fail(kind, error.to_string()),
    }
}

/// Creates a connection with a new Khaos Control store named after it. A
/// keyed create is sent again with the same key and body, and the second
/// response must be a replay of the first.
fn create(
    agent: &ureq::Agent,
    plan: &LoadPlan,
    name: &str,
    (customer_id, warehouse_id): (i64, i64),
    keyed: bool,
    outcome: &mut ClientOutcome,
) {
    let body = json!({
        "name": name,
        "customer_id": customer_id,
        "warehouse_id": warehouse_id,
        "store": {
            "name": format!("{name} store"),
            "platform": "khaos_control",
            "adapter": {
                "url": "https://api.khaoscloud.com/load-run",
                "password": "load-run-password",
                "order_import_status": 9
            }
        }
    })
    .to_string();
    // The sandbox accepts keys of visible ASCII only, so no spaces.
    let key = keyed.then(|| name.replace(' ', "-"));

    let first = send_create(agent, plan, &body, key.as_deref(), outcome, Kind::Create);
    let Some((id, replayed)) = first else {
        return;
    };
    if replayed {
        outcome.fail(
            Kind::Create,
            format!("the first send of {name:?} got a replayed response"),
        );
        return;
    }
    outcome.created.push(CreatedConnection {
        id,
        name: name.to_string(),
        keyed,
    });

    if key.is_some() {
        let retry = send_create(
            agent,
            plan,
            &body,
            key.as_deref(),
            outcome,
            Kind::CreateRetry,
        );
        match retry {
            Some((retry_id, true)) if retry_id == id => {}
            Some((retry_id, replayed)) => outcome.fail(
                Kind::CreateRetry,
                format!(
                    "the retry of {name:?} returned id {retry_id} (replayed: {replayed}), \
                     the first send id {id}"
                ),
            ),
            None => {}
        }
    }
}

/// Sends one create and returns the new id and whether the response was a
/// replay, or records the failure and returns `None`.
fn send_create(
    agent: &ureq::Agent,
    plan: &LoadPlan,
    body: &str,
    key: Option<&str>,
    outcome: &mut ClientOutcome,
    kind: Kind,
) -> Option<(i64, bool)> {
    let started = Instant::now();
    let mut request = agent
        .post(format!("{}/api/connections", plan.base_url))
        .header("Authorization", format!("Bearer {}", plan.token))
        .header("Content-Type", "application/json");
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let result = request.send(body).and_then(|mut response| {
        let replayed = response.headers().contains_key("idempotent-replayed");
        let text = response.body_mut().read_to_string()?;
        Ok((response.status().as_u16(), replayed, text))
    });
    outcome.samples.push(Sample {
        kind,
        latency: started.elapsed(),
    });

    match result {
        Ok((201, replayed, text)) => {
            let id = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|value| value["id"].as_i64());
            match id {
                Some(id) => Some((id, replayed)),
                None => {
                    outcome.fail(kind, format!("201 without an id: {text}"));
                    None
                }
            }
        }
        Ok((status, _, text)) => {
            outcome.fail(kind, format!("status {status}: {text}"));
            None
        }
        Err(error) => {
            outcome.fail(kind, error.to_string());
            None
        }
    }
}
