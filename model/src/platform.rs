//! The store platform registry. Each platform is data: its wire string and
//! the fields of its adapter. The page renders any platform from this table,
//! and the sandbox validates any adapter against it.

/// What a field holds, which decides how it is shown, checked and sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, trimmed, sent as a JSON string.
    Text,
    /// An absolute `http(s)` URL, trimmed, sent as a JSON string.
    Url,
    /// A credential: never trimmed, never shown unless asked, never returned.
    Secret,
    /// A whole number above 0, sent as a JSON number.
    Integer,
    /// One of a fixed list of options.
    Choice {
        /// The allowed options, in the order they are shown.
        options: &'static [ChoiceOption],
        /// Whether the option value is sent as a JSON number instead of a string.
        numeric: bool,
    },
    /// A yes/no switch, sent as a JSON boolean.
    YesNo,
}

/// One allowed value of a [`FieldKind::Choice`] field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    /// The value as sent on the wire (as text; numeric choices are converted).
    pub value: &'static str,
    /// The text the user sees.
    pub label: &'static str,
}

/// One field of a platform's adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key inside `store.adapter` on the wire.
    pub key: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// What the field holds.
    pub kind: FieldKind,
    /// Whether the connection cannot be created without it.
    pub required: bool,
    /// The value the form starts with, as text.
    pub default: Option<&'static str>,
    /// The maximum length in characters, after trimming.
    pub max_chars: Option<usize>,
    /// One line saying what the value is and where to find it.
    pub help: &'static str,
}

/// A store platform: the sales channel a store's orders come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    /// The platform string on the wire, for example `khaos_control`.
    pub id: &'static str,
    /// The name shown in the Platform picker.
    pub name: &'static str,
    /// The adapter fields, in the order they are shown.
    pub fields: &'static [FieldSpec],
}

impl Platform {
    /// Returns the field with the given wire key.
    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|field| field.key == key)
    }
}

/// A field with no default, no length limit, and the given kind.
const fn field(
    key: &'static str,
    label: &'static str,
    kind: FieldKind,
    required: bool,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        key,
        label,
        kind,
        required,
        default: None,
        max_chars: None,
        help,
    }
}

/// The Khaos Control order statuses, shown as name and number. DropStream
/// imports an order once it reaches the chosen status.
pub const KHAOS_ORDER_IMPORT_STATUSES: &[ChoiceOption] = &[
    ChoiceOption {
        value: "9",
        label: "RELEASED (9)",
    },
    ChoiceOption {
        value: "10",
        label: "STAGING (10)",
    },
    ChoiceOption {
        value: "11",
        label: "AUTHORISEPAYMENT (11)",
    },
    ChoiceOption {
        value: "12",
        label: "PICKING (12)",
    },
    ChoiceOption {
        value: "13",
        label: "PACKING (13)",
    },
    ChoiceOption {
        value: "14",
        label: "SHIPPING (14)",
    },
    ChoiceOption {
        value: "15",
        label: "INVOICING (15)",
    },
    ChoiceOption {
        value: "16",
        label: "ISSUE (16)",
    },
];

/// The wire string of Khaos Control. DropStream does not publish one, so this
/// follows the snake_case of its published platform strings.
pub const KHAOS_CONTROL: &str = "khaos_control";

const KHAOS_FIELDS: &[FieldSpec] = &[
    field(
        "url",
        "URL",
        FieldKind::Url,
        true,
        "Your Khaos Control API address, such as https://api.khaoscloud.com/…, from your Khaos Control representative.",
    ),
    field(
        "password",
        "User Password",
        FieldKind::Secret,
        true,
        "The password of your Khaos Control API user, issued by your Khaos Control representative.",
    ),
    FieldSpec {
        default: Some("9"),
        ..field(
            "order_import_status",
            "Order Import Status",
            FieldKind::Choice {
                options: KHAOS_ORDER_IMPORT_STATUSES,
                numeric: true,
            },
            false,
            "The Khaos Control order status at which DropStream picks up an order. Most workflows use RELEASED (9).",
        )
    },
    field(
        "substage_id",
        "Substage ID",
        FieldKind::Integer,
        false,
        "Optional. The Khaos Control substage number that imported orders are moved to, to acknowledge the import.",
    ),
    FieldSpec {
        max_chars: Some(100),
        ..field(
            "site_name",
            "Site Name",
            FieldKind::Text,
            false,
            "Optional. The Khaos Control site, such as Main Site, whose stock levels DropStream sends as inventory.",
        )
    },
];

const SHOPIFY_FIELDS: &[FieldSpec] = &[
    field(
        "shop_name",
        "Shop Name",
        FieldKind::Text,
        true,
        "The part before .myshopify.com in your Shopify admin address.",
    ),
    field(
        "access_token",
        "Access Token",
        FieldKind::Secret,
        true,
        "The Admin API access token of the custom app you created in Shopify.",
    ),
    field(
        "location_id",
        "Location ID",
        FieldKind::Integer,
        true,
        "The number of the Shopify location that ships the orders, from Settings > Locations.",
    ),
    FieldSpec {
        default: Some("false"),
        ..field(
            "notify_customer",
            "Notify Customer",
            FieldKind::YesNo,
            false,
            "Whether Shopify emails the customer when DropStream marks an order as shipped.",
        )
    },
];

const WOO_COMMERCE_FIELDS: &[FieldSpec] = &[
    field(
        "url",
        "URL",
        FieldKind::Url,
        true,
        "The address of your WooCommerce shop, such as https://shop.example.com.",
    ),
    field(
        "username",
        "Username",
        FieldKind::Text,
        true,
        "The consumer key of the WooCommerce REST API key you created for DropStream.",
    ),
    field(
        "password",
        "Password",
        FieldKind::Secret,
        true,
        "The consumer secret of that REST API key.",
    ),
    FieldSpec {
        default: Some("processing"),
        ..field(
            "order_import_status",
            "Order Import Status",
            FieldKind::Text,
            false,
            "The WooCommerce order status at which DropStream picks up an order, such as processing.",
        )
    },
];

const SHIP_STATION_FIELDS: &[FieldSpec] = &[
    field(
        "api_key",
        "API Key",
        FieldKind::Text,
        true,
        "The API key from ShipStation's Settings > Account > API Settings.",
    ),
    field(
        "api_secret",
        "API Secret",
        FieldKind::Secret,
        true,
        "The API secret shown beside that key.",
    ),
    field(
        "acknowledgement_tag_id",
        "Acknowledgement Tag ID",
        FieldKind::Integer,
        false,
        "Optional. The number of the ShipStation tag that DropStream adds to orders it has imported.",
    ),
];

const BIG_COMMERCE_FIELDS: &[FieldSpec] = &[
    field(
        "store_hash",
        "Store Hash",
        FieldKind::Text,
        true,
        "The code after /stores/ in your BigCommerce API path.",
    ),
    field(
        "access_token",
        "Access Token",
        FieldKind::Secret,
        true,
        "The access token of the BigCommerce API account you created for DropStream.",
    ),
    field(
        "client_id",
        "Client ID",
        FieldKind::Text,
        false,
        "Optional. The client ID of that API account.",
    ),
];

/// Every store platform the form offers, in the order of the Platform picker.
pub const PLATFORMS: &[Platform] = &[
    Platform {
        id: KHAOS_CONTROL,
        name: "Khaos Control",
        fields: KHAOS_FIELDS,
    },
    Platform {
        id: "shopify",
        name: "Shopify",
        fields: SHOPIFY_FIELDS,
    },
    Platform {
        id: "woo_commerce",
        name: "WooCommerce",
        fields: WOO_COMMERCE_FIELDS,
    },
    Platform {
        id: "ship_station",
        name: "ShipStation",
        fields: SHIP_STATION_FIELDS,
    },
    Platform {
        id: "big_commerce",
        name: "BigCommerce",
        fields: BIG_COMMERCE_FIELDS,
    },
];

/// Returns the platform with the given wire string.
pub fn find_platform(id: &str) -> Option<&'static Platform> {
    PLATFORMS.iter().find(|platform| platform.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn khaos_control_has_its_five_fields_in_order() {
        let khaos = find_platform("khaos_control").expect("Khaos Control is registered");
        let keys: Vec<_> = khaos.fields.iter().map(|field| field.key).collect();
        assert_eq!(
            keys,
            [
                "url",
                "password",
                "order_import_status",
                "substage_id",
                "site_name"
            ]
        );
        let labels: Vec<_> = khaos.fields.iter().map(|field| field.label).collect();
        assert_eq!(
            labels,
            [
                "URL",
                "User Password",
                "Order Import Status",
                "Substage ID",
                "Site Name"
            ]
        );
    }

    #[test]
    fn khaos_required_fields_are_url_and_password() {
        let khaos = find_platform(KHAOS_CONTROL).unwrap();
        let required: Vec<_> = khaos
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| field.key)
            .collect();
        assert_eq!(required, ["url", "password"]);
        assert_eq!(khaos.field("password").unwrap().kind, FieldKind::Secret);
        assert_eq!(khaos.field("url").unwrap().kind, FieldKind::Url);
        assert_eq!(khaos.field("substage_id").unwrap().kind, FieldKind::Integer);
        assert_eq!(khaos.field("site_name").unwrap().max_chars, Some(100));
    }

    #[test]
    fn khaos_order_import_status_defaults_to_released() {
        let status = find_platform(KHAOS_CONTROL)
            .unwrap()
            .field("order_import_status")
            .unwrap();
        assert_eq!(status.default, Some("9"));
        let FieldKind::Choice { options, numeric } = status.kind else {
            panic!("Order Import Status is a choice");
        };
        assert!(numeric);
        let values: Vec<_> = options.iter().map(|option| option.value).collect();
        assert_eq!(values, ["9", "10", "11", "12", "13", "14", "15", "16"]);
        assert_eq!(options[0].label, "RELEASED (9)");
        assert_eq!(options[7].label, "ISSUE (16)");
    }

    #[test]
    fn registry_has_the_published_platform_strings() {
        let ids: Vec<_> = PLATFORMS.iter().map(|platform| platform.id).collect();
        for id in [
            "khaos_control",
            "shopify",
            "woo_commerce",
            "ship_station",
            "big_commerce",
        ] {
            assert!(ids.contains(&id), "{id} is missing from the registry");
        }
        assert!(find_platform("amazon").is_none());
    }

    #[test]
    fn registry_entries_are_well_formed() {
        let mut platform_ids = HashSet::new();
        for platform in PLATFORMS {
            assert!(
                platform_ids.insert(platform.id),
                "{} appears twice",
                platform.id
            );
            let mut keys = HashSet::new();
            for field in platform.fields {
                assert!(
                    keys.insert(field.key),
                    "{}.{} appears twice",
                    platform.id,
                    field.key
                );
                assert!(
                    !field.help.is_empty(),
                    "{}.{} has no help text",
                    platform.id,
                    field.key
                );
                if let (FieldKind::Choice { options, .. }, Some(default)) =
                    (field.kind, field.default)
                {
                    assert!(
                        options.iter().any(|option| option.value == default),
                        "{}.{} defaults to a value it does not offer",
                        platform.id,
                        field.key
                    );
                }
                if field.kind == FieldKind::Secret {
                    assert!(field.default.is_none(), "a secret never has a default");
                }
            }
        }
    }
}
