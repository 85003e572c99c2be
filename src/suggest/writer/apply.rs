//! Writing a plan to disk: refusing a file changed since it was read, a backup, an atomic
//! replace that keeps the file's permissions, and a read-back check.

use super::{Applied, WriteError, WritePlan, io, read_bytes};
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes a plan: refuses if the file changed since [`super::plan_write`] read it, backs up the
/// old content, writes atomically, keeps the permissions, and checks the result. A plan with
/// nothing to add touches nothing.
pub fn apply(plan: &WritePlan) -> Result<Applied, WriteError> {
    let target = &plan.target;
    let changed = |now: &Option<Vec<u8>>| now != &plan.original;
    if changed(&read_bytes(target)?) {
        return Err(WriteError::Changed {
            path: plan.path.clone(),
        });
    }
    if !plan.changed() {
        return Ok(Applied {
            written: false,
            backup: None,
        });
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io(&dir, "create the folder"))?;
    let perms = if plan.original.is_some() {
        Some(
            fs::metadata(target)
                .map_err(io(target, "read the permissions of"))?
                .permissions(),
        )
    } else {
        None
    };
    let backup = match (&plan.original, &perms) {
        (Some(bytes), Some(p)) => Some(write_backup(target, bytes, p)?),
        _ => None,
    };
    let result = write_atomic(plan, &dir, perms.as_ref());
    if result.is_err()
        && let Some(b) = &backup
    {
        // Nothing replaced the file: the backup is redundant.
        let _ = fs::remove_file(b);
    }
    result?;
    verify(plan)?;
    Ok(Applied {
        written: true,
        backup,
    })
}

/// Writes `bytes` to the first free `<file>.bak`, `<file>.bak.1`, ... (never overwriting).
fn write_backup(
    target: &Path,
    bytes: &[u8],
    perms: &fs::Permissions,
) -> Result<PathBuf, WriteError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings.json".into());
    for n in 0..10_000u32 {
        let candidate = if n == 0 {
            target.with_file_name(format!("{name}.bak"))
        } else {
            target.with_file_name(format!("{name}.bak.{n}"))
        };
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            opts.mode(perms.mode() & 0o777);
        }
        match opts.open(&candidate) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(io(&candidate, "write the backup"))?;
                fs::set_permissions(&candidate, perms.clone())
                    .map_err(io(&candidate, "set the permissions of the backup"))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&candidate, "create the backup")(e)),
        }
    }
    Err(WriteError::Io {
        path: target.to_path_buf(),
        action: "find a free backup name",
        source: std::io::Error::other("too many backups"),
    })
}

/// Temp file in the same folder, then rename over the target.
fn write_atomic(
    plan: &WritePlan,
    dir: &Path,
    perms: Option<&fs::Permissions>,
) -> Result<(), WriteError> {
    let target = &plan.target;
    let mut tmp = tempfile::Builder::new()
        .prefix(".permstat-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io(dir, "create a temporary file in"))?;
    tmp.write_all(plan.new_text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io(tmp.path(), "write the temporary file"))?;
    if let Some(p) = perms {
        fs::set_permissions(tmp.path(), p.clone())
            .map_err(io(target, "copy the permissions of"))?;
    }
    if read_bytes(target)? != plan.original {
        return Err(WriteError::Changed {
            path: plan.path.clone(),
        });
    }
    tmp.persist(target)
        .map_err(|e| io(target, "replace")(e.error))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads the written file back: it must parse and hold every added rule.
fn verify(plan: &WritePlan) -> Result<(), WriteError> {
    let fail = |message: String| WriteError::Verify {
        path: plan.path.clone(),
        message,
    };
    let bytes = fs::read(&plan.target).map_err(io(&plan.target, "read back"))?;
    if bytes != plan.new_text.as_bytes() {
        return Err(fail("the content differs from what was written".into()));
    }
    let v: Value =
        serde_json::from_slice(&bytes).map_err(|e| fail(format!("not valid JSON: {e}")))?;
    let allow: Vec<&str> = v
        .get("permissions")
        .and_then(|p| p.get("allow"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match plan.added.iter().find(|r| !allow.contains(&r.as_str())) {
        Some(r) => Err(fail(format!("rule {r} is missing"))),
        None => Ok(()),
    }
}
