//! Committing a build: the staged files move into the output folder, the files
//! the site no longer has go, and the new manifest replaces the old one.
//!
//! When there was no output folder, the staging folder simply becomes it (one
//! rename). Otherwise the commit first writes a journal into the staging folder
//! saying what it will move and remove ([`super::journal`]), then does it; a
//! commit killed halfway is finished by the next run from that journal.

use std::fs;

use super::error::WriteError;
use super::journal::{self, Journal};
use super::manifest;
use super::place::{remove, Place, MARKER_NAME};

/// Commits the staged site with the new manifest's bytes: `existed` says
/// whether an output folder is there.
pub(super) fn commit(
    place: &Place,
    existed: bool,
    manifest: Result<Vec<u8>, serde_json::Error>,
    journal: &Journal,
) -> Result<(), WriteError> {
    let staging = place.staging_dir()?;
    manifest::put(staging, manifest)?;
    if !existed {
        // The staging folder becomes the output folder: without its marker,
        // which would be published. (Killed between the two, the folder is left
        // unmarked, as someone else's: never removed, never in the way.)
        let marker = staging.join(MARKER_NAME);
        fs::remove_file(&marker).map_err(WriteError::io("remove", &marker))?;
        return fs::rename(staging, &place.dir).map_err(WriteError::io("move into place", staging));
    }
    journal::write(staging, journal)?;
    journal::apply(&place.dir, staging, journal)?;
    remove(staging).map_err(WriteError::io("remove", staging))
}
