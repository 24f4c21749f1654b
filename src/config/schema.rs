//! The shape of `config.toml`. Loading, defaults and error reporting live
//! beside it; this file only says what may be written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::hosted_zone::HostedZone;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// A preset name (`dark`, `light`, `high-contrast`) or a path to a theme file.
    #[serde(default)]
    pub theme: Option<String>,
    /// A preset name (`default`, `vim`) or a path to a keymap file.
    #[serde(default)]
    pub keymap: Option<String>,
    /// Refuse every operate call at the backend boundary.
    #[serde(default)]
    pub read_only: bool,
    /// Release holds placed until a window when that window opens.
    #[serde(default)]
    pub auto_release: bool,
    /// Warn before a drain when the region taking the traffic lags more than this.
    #[serde(default)]
    pub lag_warning_ms: Option<u64>,
    #[serde(default)]
    pub aws: Option<AwsConfig>,
    /// Off-hours windows by region name.
    #[serde(default)]
    pub windows: BTreeMap<String, WindowConfig>,
    /// How much of the session the console keeps.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// CloudWatch alarms and bake times per flow: `[alarms.<flow>]`.
    #[serde(default)]
    pub alarms: BTreeMap<String, FlowAlarmsConfig>,
    #[serde(default)]
    pub scheduler: Option<super::scheduler::SchedulerConfig>,
    /// `[audit]`: a team copy of the audit log in CloudWatch Logs.
    #[serde(default)]
    pub audit: Option<super::audit::AuditConfig>,
    /// `[stream]`: the change stream, off unless present.
    #[serde(default)]
    pub stream: Option<super::stream::StreamConfig>,
    /// `[notify]`: the bell and desktop notifications (on by default).
    #[serde(default)]
    pub notify: Option<super::notify::NotifyConfig>,
    /// `[ui]`: how the console uses the terminal.
    #[serde(default)]
    pub ui: super::ui::UiConfig,
}

/// `[alarms.<flow>]`: the flow's alarms per region and how long it bakes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowAlarmsConfig {
    /// How long every wave of the flow bakes after a region's deploy (`30m`).
    #[serde(default)]
    pub bake: Option<String>,
    /// Bake times of single waves, by wave (stage) name; they win over `bake`.
    #[serde(default)]
    pub wave_bake: BTreeMap<String, String>,
    /// The alarms of each region, by region name.
    #[serde(default)]
    pub regions: BTreeMap<String, RegionAlarmsConfig>,
}

/// `[alarms.<flow>.regions.<region>]`: alarms by exact name or name prefix.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionAlarmsConfig {
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// The account whose CloudWatch holds them (default: the default account).
    #[serde(default)]
    pub account: Option<String>,
}

/// `[limits]`: caps on what a long session keeps; each at least 1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Entries of the activity log (default 5000).
    #[serde(default)]
    pub activity_entries: Option<u64>,
    /// Views `back` returns through (default 100).
    #[serde(default)]
    pub view_history: Option<u64>,
    /// Events kept per stack (default 200).
    #[serde(default)]
    pub stack_events: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsConfig {
    /// Profile of the default account (the `--profile` flag wins).
    #[serde(default)]
    pub profile: Option<String>,
    /// Regions where pipelines are discovered with ListPipelines.
    #[serde(default)]
    pub home_regions: Vec<String>,
    /// Watch only these pipelines instead of every pipeline found.
    #[serde(default)]
    pub pipelines: Vec<String>,
    /// Hosted zones whose record sets name the health checks to watch: ids,
    /// DNS names, or `{ id = ".." }` / `{ name = ".." }` (see `hosted_zone`).
    #[serde(default)]
    pub hosted_zones: Vec<HostedZone>,
    /// Further accounts, each reached with its own profile.
    #[serde(default)]
    pub accounts: Vec<AccountConfig>,
    /// Stacks deployed outside any pipeline.
    #[serde(default)]
    pub stacks: Vec<StackConfig>,
    /// DynamoDB global tables to watch.
    #[serde(default)]
    pub tables: Vec<TableConfig>,
    /// Pipelines that hand their artifact to one another, shown as one flow.
    #[serde(default)]
    pub chains: Vec<ChainConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub name: String,
    pub profile: String,
    #[serde(default)]
    pub home_regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackConfig {
    /// The flow (service) the stack belongs to; a flow of its own when no pipeline has that name.
    pub flow: String,
    pub region: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    pub name: String,
    /// The region whose CloudWatch holds the table's `ReplicationLatency`.
    pub source_region: String,
    #[serde(default)]
    pub flow: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
    pub name: String,
    /// Pipeline names in hand-off order.
    pub pipelines: Vec<String>,
}

/// A region's off-hours window, in the region's own time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowConfig {
    /// IANA time zone, e.g. `America/Sao_Paulo`.
    pub time_zone: String,
    /// Opening time, `HH:MM` local.
    pub open: String,
    /// Closing time, `HH:MM` local; earlier than `open` means the window crosses midnight.
    pub close: String,
    /// Days on which the window opens: `mon` .. `sun`. Empty means every day.
    #[serde(default)]
    pub days: Vec<String>,
    /// Local dates (`YYYY-MM-DD`) on which nothing is released.
    #[serde(default)]
    pub freeze: Vec<String>,
}
