//! The wizard's state: every value the user typed, kept in signals for the
//! whole life of the wizard so that Back, Continue, a failed request or a
//! fresh sign-in never lose anything. The rules themselves live in the shared
//! model; this module only gathers the values into a [`ConnectionDraft`].

use dropstream_model::api::{ApiError, Customer, Store, Warehouse};
use dropstream_model::payload::{
    ConnectionDraft, FieldErrors, StoreDraft, adapter_path, build_connection_request,
};
use dropstream_model::platform::{FieldSpec, find_platform};
use dropstream_model::validate::{FieldCheck, check_field};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

/// A screen of the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// Sign in to DropStream (standalone page, or after the token expired).
    SignIn,
    /// Connection Name.
    Basic,
    /// Which merchant the connection is for.
    Merchant,
    /// Which of the merchant's warehouses fulfils the orders.
    Warehouse,
    /// The store the orders come from.
    Store,
    /// The connection was created.
    Done,
}

impl Step {
    /// Returns the step's name in event details, such as `store-setup`.
    pub fn event_name(self) -> &'static str {
        match self {
            Step::SignIn => "sign-in",
            Step::Basic => "basic-information",
            Step::Merchant => "merchant-information",
            Step::Warehouse => "warehouse-setup",
            Step::Store => "store-setup",
            Step::Done => "done",
        }
    }

    /// The steps shown in the step indicator, with their titles.
    pub const INDICATED: [(Step, &'static str); 4] = [
        (Step::Basic, "Basic Information"),
        (Step::Merchant, "Merchant Information"),
        (Step::Warehouse, "Warehouse Setup"),
        (Step::Store, "Store Setup"),
    ];

    /// Returns the step's title as shown in the indicator and the heading.
    pub fn title(self) -> &'static str {
        match self {
            Step::SignIn => "Sign in",
            Step::Done => "Connection created",
            step => Step::INDICATED
                .iter()
                .find(|(indicated, _)| *indicated == step)
                .map(|(_, title)| *title)
                .unwrap_or_default(),
        }
    }
}

/// Whether the connection gets a new store or an existing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreMode {
    /// "Create new store".
    New,
    /// "Use existing store".
    Existing,
}

/// A list loaded from the API: `None` while loading.
pub type Loaded<T> = RwSignal<Option<Result<Vec<T>, ApiError>>>;

/// The lists the wizard offers choices from.
#[derive(Clone, Copy)]
pub struct Lists {
    /// Merchants, from `GET /customers`.
    pub customers: Loaded<Customer>,
    /// Warehouses of every merchant.
    pub warehouses: Loaded<Warehouse>,
    /// Stores of every merchant.
    pub stores: Loaded<Store>,
}

/// Numbers each wizard on the page, so that two instances never share an
/// element id.
static NEXT_INSTANCE: AtomicU32 = AtomicU32::new(1);

/// Everything one wizard instance holds. Copyable: every part is a signal.
#[derive(Clone, Copy)]
pub struct WizardState {
    instance: u32,
    /// Whether a host page embeds the wizard. The host then supplies the
    /// token, so a 401 requests a new one from the host instead of showing the
    /// sign-in form.
    pub embedded: bool,
    /// Whether only the Store Setup step is shown, the host having collected
    /// the Connection Name, merchant and warehouse itself.
    pub store_setup_only: bool,
    /// The screen shown.
    pub step: RwSignal<Step>,
    /// Where to return after signing in again.
    pub resume_step: RwSignal<Option<Step>>,
    /// The bearer token, kept in memory only.
    pub token: RwSignal<Option<String>>,
    /// Connection Name as typed.
    pub connection_name: RwSignal<String>,
    /// The picked merchant.
    pub customer_id: RwSignal<Option<i64>>,
    /// The warehouse picked when the merchant has several.
    pub picked_warehouse_id: RwSignal<Option<i64>>,
    /// New or existing store.
    pub store_mode: RwSignal<StoreMode>,
    /// The existing store picked.
    pub existing_store_id: RwSignal<Option<i64>>,
    /// The new store's Name as typed.
    pub store_name: RwSignal<String>,
    /// The new store's platform wire string; empty until one is picked.
    pub platform: RwSignal<String>,
    /// Adapter values as typed, per platform and then per wire key, so that
    /// switching platform and back restores what was typed.
    pub adapter_values: RwSignal<BTreeMap<String, BTreeMap<String, String>>>,
    /// Request paths whose messages are shown: left by the user, or part of a
    /// step the user tried to leave.
    pub touched: RwSignal<BTreeSet<String>>,
    /// Field errors from the server's last 422, until the field is edited.
    pub server_errors: RwSignal<FieldErrors>,
    /// Lists loaded from the API.
    pub lists: Lists,
    /// Labels of secret fields that had a value before the page was reloaded
    /// and must be typed again, because secrets are never stored.
    pub restored_secrets: RwSignal<Vec<String>>,
    /// Whether the last Add connection request may have created the
    /// connection without the page learning of it (no response, a timeout, an
    /// unreadable response or a server error).
    pub outcome_unknown: RwSignal<bool>,
}

impl WizardState {
    /// Creates an empty wizard that starts at `step`, for the standalone page.
    pub fn new(step: Step, token: Option<String>) -> Self {
        Self {
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            embedded: false,
            store_setup_only: false,
            step: RwSignal::new(step),
            resume_step: RwSignal::new(None),
            token: RwSignal::new(token),
            connection_name: RwSignal::new(String::new()),
            customer_id: RwSignal::new(None),
            picked_warehouse_id: RwSignal::new(None),
            store_mode: RwSignal::new(StoreMode::New),
            existing_store_id: RwSignal::new(None),
            store_name: RwSignal::new(String::new()),
            platform: RwSignal::new(String::new()),
            adapter_values: RwSignal::new(BTreeMap::new()),
            touched: RwSignal::new(BTreeSet::new()),
            server_errors: RwSignal::new(FieldErrors::new()),
            lists: Lists {
                customers: RwSignal::new(None),
                warehouses: RwSignal::new(None),
                stores: RwSignal::new(None),
            },
            restored_secrets: RwSignal::new(Vec::new()),
            outcome_unknown: RwSignal::new(false),
        }
    }

    /// Returns the element id for a request path, unique to this instance.
    pub fn element_id(&self, path: &str) -> String {
        format!("ds{}-{}", self.instance, path.replace(['.', '_'], "-"))
    }

    /// Clears every typed value for a new connection; keeps the token, the
    /// lists, and the context a host gave for Store Setup only.
    pub fn reset_form(&self) {
        if !self.store_setup_only {
            self.connection_name.set(String::new());
            self.customer_id.set(None);
            self.picked_warehouse_id.set(None);
        }
        self.store_mode.set(StoreMode::New);
        self.existing_store_id.set(None);
        self.store_name.set(String::new());
        self.platform.set(String::new());
        self.adapter_values.set(BTreeMap::new());
        self.touched.set(BTreeSet::new());
        self.server_errors.set(FieldErrors::new());
        self.restored_secrets.set(Vec::new());
        self.outcome_unknown.set(false);
    }

    /// Returns the labels of restored secret fields that are still empty.
    pub fn secrets_to_reenter(&self) -> Vec<String> {
        let restored = self.restored_secrets.get();
        if restored.is_empty() {
            return restored;
        }
        let platform_id = self.platform.get();
        let Some(platform) = find_platform(&platform_id) else {
            return Vec::new();
        };
        platform
            .fields
            .iter()
            .filter(|spec| restored.iter().any(|label| label == spec.label))
            .filter(|spec| self.adapter_value(&platform_id, spec).is_empty())
            .map(|spec| spec.label.to_string())
            .collect()
    }

    /// Returns the value typed into an adapter field, or its default.
    pub fn adapter_value(&self, platform: &str, spec: &FieldSpec) -> String {
        self.adapter_values
            .with(|values| {
                values
                    .get(platform)
                    .and_then(|fields| fields.get(spec.key))
                    .cloned()
            })
            .unwrap_or_else(|| spec.default.unwrap_or_default().to_string())
    }

    /// Stores what the user typed into an adapter field.
    pub fn set_adapter_value(&self, platform: &str, key: &str, value: String) {
        self.adapter_values.update(|values| {
            values
                .entry(platform.to_string())
                .or_default()
                .insert(key.to_string(), value);
        });
        self.edited(&adapter_path(key));
    }

    /// Records that the field at `path` changed: its server error no longer applies.
    pub fn edited(&self, path: &str) {
        if self
            .server_errors
            .with_untracked(|errors| errors.contains_key(path))
        {
            self.server_errors.update(|errors| {
                errors.remove(path);
            });
        }
    }

    /// Marks the field at `path` as left by the user, so its message shows.
    pub fn touch(&self, path: &str) {
        if !self
            .touched
            .with_untracked(|touched| touched.contains(path))
        {
            self.touched.update(|touched| {
                touched.insert(path.to_string());
            });
        }
    }

    /// Returns the warehouses of the picked merchant.
    pub fn merchant_warehouses(&self) -> Vec<Warehouse> {
        let customer_id = self.customer_id.get();
        self.lists.warehouses.with(|loaded| match loaded {
            Some(Ok(all)) => all
                .iter()
                .filter(|warehouse| Some(warehouse.customer_id) == customer_id)
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    }

    /// Returns the stores of the picked merchant.
    pub fn merchant_stores(&self) -> Vec<Store> {
        let customer_id = self.customer_id.get();
        self.lists.stores.with(|loaded| match loaded {
            Some(Ok(all)) => all
                .iter()
                .filter(|store| Some(store.customer_id) == customer_id)
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The warehouse the connection will use: the merchant's only one, or the
    /// one picked among several. A pick left over from another merchant does
    /// not count.
    pub fn warehouse_id(&self) -> Option<i64> {
        if self.store_setup_only {
            return self.picked_warehouse_id.get();
        }
        let warehouses = self.merchant_warehouses();
        match warehouses.as_slice() {
            [only] => Some(only.id),
            _ => self
                .picked_warehouse_id
                .get()
                .filter(|id| warehouses.iter().any(|warehouse| warehouse.id == *id)),
        }
    }

    /// Everything typed so far, as the model's draft.
    pub fn draft(&self) -> ConnectionDraft {
        let store = match self.store_mode.get() {
            StoreMode::Existing => {
                let picked = self.existing_store_id.get();
                let stores = self.merchant_stores();
                StoreDraft::Existing(picked.filter(|id| stores.iter().any(|store| store.id == *id)))
            }
            StoreMode::New => {
                let platform = self.platform.get();
                let values = self
                    .adapter_values
                    .with(|values| values.get(&platform).cloned())
                    .unwrap_or_default();
                StoreDraft::New {
                    name: self.store_name.get(),
                    platform,
                    values,
                }
            }
        };
        ConnectionDraft {
            name: self.connection_name.get(),
            customer_id: self.customer_id.get(),
            warehouse_id: self.warehouse_id(),
            store,
        }
    }

    /// Returns the client-side problems of the whole draft, by request path. Adds the
    /// one rule the API does not have: a merchant with several warehouses
    /// needs one picked, so that the user decides instead of the default.
    pub fn client_errors(&self) -> FieldErrors {
        let mut errors = build_connection_request(&self.draft())
            .err()
            .unwrap_or_default();
        let needs_pick = !self.store_setup_only && self.merchant_warehouses().len() != 1;
        if needs_pick && self.warehouse_id().is_none() {
            let message = if self.merchant_warehouses().is_empty() {
                "This merchant has no warehouse yet. Add one in DropStream or choose another merchant."
            } else {
                "Choose a warehouse."
            };
            errors.insert("warehouse_id".to_string(), vec![message.to_string()]);
        }
        errors
    }

    /// Returns the request paths of a step's fields, in the order they are shown.
    pub fn step_paths(&self, step: Step) -> Vec<String> {
        match step {
            Step::Basic => vec!["name".to_string()],
            Step::Merchant => vec!["customer_id".to_string()],
            Step::Warehouse => vec!["warehouse_id".to_string()],
            Step::Store => match self.store_mode.get_untracked() {
                StoreMode::Existing => vec!["store_id".to_string()],
                StoreMode::New => {
                    let mut paths = vec!["store.name".to_string(), "store.platform".to_string()];
                    if let Some(platform) = find_platform(&self.platform.get_untracked()) {
                        paths.extend(platform.fields.iter().map(|spec| adapter_path(spec.key)));
                    }
                    paths
                }
            },
            Step::SignIn | Step::Done => Vec::new(),
        }
    }

    /// Returns the warning for an adapter field that is valid but worth a note, such
    /// as a URL over plain http.
    pub fn adapter_warning(&self, platform: &str, spec: &FieldSpec) -> Option<String> {
        match check_field(spec, &self.adapter_value(platform, spec)) {
            FieldCheck::Warning(message) => Some(message),
            _ => None,
        }
    }
}
