//! STS: who wavetop calls AWS as.

use aws_sdk_sts::Client;

use super::errors::{map_sdk_error, missing};
use crate::protocol::SourceError;

/// The caller's account id and ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
}

pub async fn caller_identity(client: &Client) -> Result<CallerIdentity, SourceError> {
    const OP: &str = "sts:GetCallerIdentity";
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| map_sdk_error(OP, e))?;
    Ok(CallerIdentity {
        account: out
            .account()
            .ok_or_else(|| missing(OP, "account"))?
            .to_string(),
        arn: out.arn().ok_or_else(|| missing(OP, "arn"))?.to_string(),
    })
}
