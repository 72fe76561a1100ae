//! Progress of a long `build` or `check` on standard error: the stage, and
//! while rendering the stories and people done out of the total.
//!
//! Nothing is shown unless the binary installs it ([`install`]), which it does
//! only when standard error is a terminal and `--quiet` is not given; even
//! then the line appears only once a run has lasted [`SHOW_AFTER`], so quick
//! runs print exactly what they printed before. Stages report through
//! [`stage`] (called by `check::Stages::time`) and [`advance`]; without an
//! installed bar these do nothing, so library users and tests see no output.

use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress is shown.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

static BAR: OnceLock<ProgressBar> = OnceLock::new();

/// Shows progress on standard error from [`SHOW_AFTER`] on, until [`finish`].
/// `ANNALIST_PROGRESS_AFTER_MS` in the environment sets that delay (tests of
/// the binary show progress on a small archive with 0).
pub fn install() {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(stage_style());
    if BAR.set(bar.clone()).is_err() {
        return;
    }
    let after = std::env::var("ANNALIST_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(SHOW_AFTER, Duration::from_millis);
    let show = move |bar: &ProgressBar| {
        if !bar.is_finished() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    };
    if after.is_zero() {
        show(&bar);
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(after);
        show(&bar);
    });
}

fn stage_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn count_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {wide_bar} {human_pos}/{human_len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A stage begins (`load`, `anchor`, `index`, `render`, `write`).
pub fn stage(name: &str) {
    if let Some(bar) = BAR.get() {
        bar.set_style(stage_style());
        bar.set_length(0);
        bar.set_position(0);
        bar.set_message(name.to_string());
    }
}

/// The current stage counts `total` things, named `what`.
pub fn expect(what: &str, total: u64) {
    if let Some(bar) = BAR.get() {
        bar.set_message(what.to_string());
        bar.set_position(0);
        bar.set_length(total);
        bar.set_style(count_style());
    }
}

/// One more of the things counted is done; from any thread.
pub fn advance() {
    if let Some(bar) = BAR.get() {
        bar.inc(1);
    }
}

/// The run is over: the line is cleared, so the closing summary stands alone.
pub fn finish() {
    if let Some(bar) = BAR.get() {
        bar.finish_and_clear();
    }
}
