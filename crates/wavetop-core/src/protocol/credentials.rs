//! What a backend knows of the credentials it signs with: whose they are,
//! when they stop working, and what renews them. The console shows the time
//! left when it runs short, and the renewal when they have run out.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialsStatus {
    /// The account wavetop reads with these credentials (`default`, or a
    /// configured account's name).
    pub account: String,
    /// The named profile they come from; None for the default chain.
    pub profile: Option<String>,
    /// What renews them, said to an operator: a command to run
    /// (`aws sso login --profile prod`) or a step to take.
    pub renew: String,
    /// When the credentials last handed out stop working; None when they
    /// do not expire (long-term keys) or could not be had.
    pub expires_at: Option<Timestamp>,
    /// Why the provider could not hand out credentials (an SSO session
    /// that cannot be refreshed); None when it could.
    pub failure: Option<String>,
}

impl CredentialsStatus {
    /// `profile prod`, or `default credentials` for the default chain.
    pub fn who(&self) -> String {
        match &self.profile {
            Some(p) => format!("profile {p}"),
            None if self.account == "default" => "default credentials".to_string(),
            None => format!("credentials of account {}", self.account),
        }
    }
}
