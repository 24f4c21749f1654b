//! Finding the pipelines of each account: listed in each home region, or
//! the ones the config names, looked for region by region. What cannot be
//! read (a home region, one pipeline, a configured name no region holds) is
//! an error of its own and the rest is found all the same.

use super::state::PipelineEntry;
use super::{Account, AwsBackend, DEFAULT_ACCOUNT, codepipeline, sts};
use crate::domain::pipeline_doc::GetPipelineOutput;
use crate::protocol::{ReadError, SourceError};

/// A pipeline found in one (account, region), with its structure.
pub(super) struct Found {
    pub(super) account: String,
    pub(super) region: String,
    pub(super) structure: GetPipelineOutput,
}

/// What one account's discovery read, and what it could not.
pub(super) struct AccountRead {
    pub(super) id: String,
    pub(super) found: Vec<Found>,
    pub(super) errors: Vec<ReadError>,
    pub(super) regions_read: Vec<String>,
}

/// The source label of one home region's pipeline listing.
fn pipelines_source(account: &Account, region: &str) -> String {
    if account.name == DEFAULT_ACCOUNT {
        format!("pipelines in {region}")
    } else {
        format!("pipelines of account {} in {region}", account.name)
    }
}

impl AwsBackend {
    /// The account's id and its pipelines in each of its home regions:
    /// listed, or the named ones not found yet, looked for region by region.
    /// A home region that cannot be read is left out and said so, unless
    /// none can be read (or the credentials are gone): then the account fails.
    pub(super) async fn discover_account(
        &self,
        account: &Account,
        named: &[String],
        already: &[Found],
    ) -> Result<AccountRead, SourceError> {
        // Every account has a home region once the pool is built
        // (`fill_home_regions`); an empty list is a construction bug.
        let Some(home) = account.home_regions.first() else {
            return Err(SourceError::Other(format!(
                "account {} has no home region",
                account.name
            )));
        };
        let client = self.pool.sts(&account.name, home).await?;
        let who = sts::caller_identity(&client).await?;
        let mut read = AccountRead {
            id: who.account,
            found: Vec::new(),
            errors: Vec::new(),
            regions_read: Vec::new(),
        };
        let mut first_failure = None;
        for region in &account.home_regions {
            let seen: Vec<&str> = already
                .iter()
                .chain(read.found.iter())
                .map(|f| f.structure.pipeline.name.as_str())
                .collect();
            let wanted: Vec<String> = named
                .iter()
                .filter(|n| !seen.contains(&n.as_str()))
                .cloned()
                .collect();
            match self
                .discover_region(account, region, named.is_empty(), &wanted)
                .await
            {
                Ok((mut found, mut errors)) => {
                    read.found.append(&mut found);
                    read.errors.append(&mut errors);
                    read.regions_read.push(region.clone());
                }
                Err(e @ SourceError::ExpiredCredentials(_)) => return Err(e),
                Err(e) => {
                    read.errors.push(ReadError::new(
                        pipelines_source(account, region),
                        region.clone(),
                        &e,
                    ));
                    first_failure.get_or_insert(e);
                }
            }
        }
        match first_failure {
            Some(e) if read.regions_read.is_empty() => Err(e),
            _ => Ok(read),
        }
    }

    /// The pipelines of one home region: every one listed (`list_all`), or
    /// the `wanted` names. One pipeline that cannot be read (gone since the
    /// listing, denied) is an error of its own; a wanted name the region does
    /// not hold is looked for in the next region.
    async fn discover_region(
        &self,
        account: &Account,
        region: &str,
        list_all: bool,
        wanted: &[String],
    ) -> Result<(Vec<Found>, Vec<ReadError>), SourceError> {
        let client = self.pool.codepipeline(&account.name, region).await?;
        let names = if list_all {
            codepipeline::list_pipeline_names(&client).await?
        } else {
            wanted.to_vec()
        };
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for name in names {
            match codepipeline::get_pipeline(&client, &name).await {
                Ok(structure) => found.push(Found {
                    account: account.name.clone(),
                    region: region.to_string(),
                    structure,
                }),
                Err(SourceError::NotFound(_)) if !list_all => {}
                Err(e @ SourceError::ExpiredCredentials(_)) => return Err(e),
                Err(e) => errors.push(ReadError::new(format!("pipeline {name}"), region, &e)),
            }
        }
        Ok((found, errors))
    }

    /// Pipelines the config names (alone or in a chain) that no home region
    /// read holds: each is an error, never silently left out, unless its
    /// read already failed in a way `known` tells.
    pub(super) fn configured_but_not_found(
        &self,
        entries: &[PipelineEntry],
        regions_read: &[String],
        known: &[ReadError],
    ) -> Vec<ReadError> {
        let call = if self.cfg.pipelines.is_empty() {
            "codepipeline:ListPipelines"
        } else {
            "codepipeline:GetPipeline"
        };
        let mut configured: Vec<&String> = self.cfg.pipelines.iter().collect();
        for chain in &self.cfg.chains {
            configured.extend(chain.pipelines.iter());
        }
        let mut missing: Vec<&String> = Vec::new();
        for name in configured {
            let found = entries.iter().any(|e| e.key == *name || e.name == *name);
            let told = known.iter().any(|e| e.source == format!("pipeline {name}"));
            if !found && !told && !missing.contains(&name) {
                missing.push(name);
            }
        }
        let regions = regions_read.join(", ");
        missing
            .into_iter()
            .map(|name| {
                let err = SourceError::NotFound(format!(
                    "{call}: the configured pipeline {name} is in none of the home regions read ({regions})"
                ));
                ReadError::new(format!("pipeline {name}"), regions.clone(), &err)
            })
            .collect()
    }
}
