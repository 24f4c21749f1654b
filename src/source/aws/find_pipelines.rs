//! Finding the pipelines of each account: listed in each home region, or
//! the ones the config names, looked for region by region. What cannot be
//! read (a home region, one pipeline, a configured name no region holds) is
//! an error of its own and the rest is found all the same.

use std::sync::Arc;

use futures_util::future::join_all;

use super::codepipeline::Listed;
use super::pacing::Service;
use super::state::PipelineEntry;
use super::structure_cache::{CacheKey, Lookup};
use super::{Account, AwsBackend, DEFAULT_ACCOUNT, codepipeline, sts};
use crate::domain::pipeline_doc::GetPipelineOutput;
use crate::protocol::{ReadError, SourceError};

/// A pipeline found in one (account, region), with its structure.
pub(super) struct Found {
    pub(super) account: String,
    pub(super) region: String,
    /// Shared, not copied, by every holder: the largest thing read of a pipeline.
    pub(super) structure: Arc<GetPipelineOutput>,
}

/// What one account's discovery read, and what it could not.
pub(super) struct AccountRead {
    pub(super) id: String,
    pub(super) found: Vec<Found>,
    pub(super) errors: Vec<ReadError>,
    pub(super) regions_read: Vec<String>,
}

impl AccountRead {
    /// One home region's answer: what it found, or its failure said as an
    /// error of its own (the first one kept); gone credentials fail the account.
    fn take(
        &mut self,
        account: &Account,
        region: &str,
        answer: Result<(Vec<Found>, Vec<ReadError>), SourceError>,
        first_failure: &mut Option<SourceError>,
    ) -> Result<(), SourceError> {
        match answer {
            Ok((mut found, mut errors)) => {
                self.found.append(&mut found);
                self.errors.append(&mut errors);
                self.regions_read.push(region.to_string());
            }
            Err(e @ SourceError::ExpiredCredentials(_)) => return Err(e),
            Err(e) => {
                self.errors.push(ReadError::new(
                    pipelines_source(account, region),
                    region,
                    &e,
                ));
                first_failure.get_or_insert(e);
            }
        }
        Ok(())
    }
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
        let who = self
            .pacer
            .run(
                &account.name,
                home,
                Service::Sts,
                sts::caller_identity(&client),
            )
            .await?;
        let mut read = AccountRead {
            id: who.account,
            found: Vec::new(),
            errors: Vec::new(),
            regions_read: Vec::new(),
        };
        let mut first_failure = None;
        if named.is_empty() {
            // Every pipeline of every home region: the regions are listed
            // side by side, their answers taken in the regions' order.
            let regions = &account.home_regions;
            let answers = join_all(
                regions
                    .iter()
                    .map(|r| self.discover_region(account, &read.id, r, true, &[])),
            )
            .await;
            for (region, answer) in regions.iter().zip(answers) {
                read.take(account, region, answer, &mut first_failure)?;
            }
        } else {
            // A named pipeline is looked for in the next region only when
            // the regions before did not hold it.
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
                let answer = self
                    .discover_region(account, &read.id, region, false, &wanted)
                    .await;
                read.take(account, region, answer, &mut first_failure)?;
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
    /// not hold is looked for in the next region. A listed pipeline whose
    /// structure the cache holds at its listed version is not read again.
    async fn discover_region(
        &self,
        account: &Account,
        account_id: &str,
        region: &str,
        list_all: bool,
        wanted: &[String],
    ) -> Result<(Vec<Found>, Vec<ReadError>), SourceError> {
        let client = self.pool.codepipeline(&account.name, region).await?;
        let listed: Vec<Listed> = if list_all {
            let call = codepipeline::list_pipelines(&client);
            self.pacer
                .run(&account.name, region, Service::CodePipeline, call)
                .await?
        } else {
            wanted
                .iter()
                .map(|name| Listed {
                    name: name.clone(),
                    version: None,
                    updated: None,
                })
                .collect()
        };
        // One GetPipeline per pipeline not in the cache, side by side within
        // the pacer's bounds; the answers keep the listing's order.
        let client = &client;
        let structures = join_all(listed.iter().map(|p| async move {
            let key = p.version.map(|version| CacheKey {
                account_id,
                region,
                pipeline: &p.name,
                version,
                updated: p.updated,
            });
            let cache = self.structure_cache.as_ref();
            if let (Some(cache), Some(key)) = (cache, &key)
                && let Lookup::Hit(structure) = cache.get(key)
            {
                return Ok(structure);
            }
            let call = codepipeline::get_pipeline(client, &p.name);
            let structure = self
                .pacer
                .run(&account.name, region, Service::CodePipeline, call)
                .await?;
            if let (Some(cache), Some(key)) = (cache, &key) {
                cache.put(key, &structure);
            }
            Ok(structure)
        }))
        .await;
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for (p, structure) in listed.into_iter().zip(structures) {
            match structure {
                Ok(structure) => found.push(Found {
                    account: account.name.clone(),
                    region: region.to_string(),
                    structure: Arc::new(structure),
                }),
                Err(SourceError::NotFound(_)) if !list_all => {}
                Err(e @ SourceError::ExpiredCredentials(_)) => return Err(e),
                Err(e) => errors.push(ReadError::new(format!("pipeline {}", p.name), region, &e)),
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
