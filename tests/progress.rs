//! Progress bars of the statistics (issue 15 point 6): `compare`, `stats` and `report` draw a
//! bar of the documents scanned, with a rate, on a terminal — checked by running them with
//! stderr on a pseudo-terminal — and draw nothing in a pipe or with `--quiet`.

use std::fs::File;
use std::io::Read;
use std::os::fd::FromRawFd;
use std::process::Stdio;

use crate::util::Workspace;

/// What the bar writes (see `src/cli/progress.rs`): its unit and its rate.
const BAR: &str = "documents scanned";
const RATE: &str = "documents/s";

/// Runs `args` with stderr on a new pseudo-terminal (120 columns) and returns everything
/// written to it, escape sequences included, and whether the command succeeded.
fn on_a_terminal(ws: &Workspace, args: &[&str]) -> (String, bool) {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes the two descriptors it opens; the name is not asked for, and
    // the terminal settings and size pointers may be null or point to valid structures.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned only here.
    let (mut master, slave) = unsafe { (File::from_raw_fd(master), File::from_raw_fd(slave)) };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mediawatch"));
    cmd.current_dir(ws.path("."))
        .args(args)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave));
    let mut child = cmd.spawn().expect("spawn");
    // The child holds the only other end now: reading ends (EIO) once it has exited.
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n) = master.read(&mut chunk) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&chunk[..n]);
        }
        seen
    });
    let status = child.wait().expect("wait");
    let seen = reader.join().expect("reader");
    (
        String::from_utf8_lossy(&seen).into_owned(),
        status.success(),
    )
}

/// Commands that scan the index, as run on the bundled corpus's index `idx`.
fn scanning_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["compare", "--index", "idx"],
        vec!["stats", "timeline", "--index", "idx"],
        vec!["stats", "terms", "--index", "idx"],
        vec![
            "report",
            "--index",
            "idx",
            "--out",
            "report",
            "--entity-list",
            "none.csv",
            "--frame-list",
            "none.csv",
        ],
    ]
}

#[test]
fn compare_stats_and_report_draw_a_bar_of_documents_on_a_terminal_only() {
    let ws = Workspace::with_bundled_corpus();
    let documents = ws.json(&["info", "--index", "idx", "--format", "json"])["documents"]
        .as_u64()
        .expect("documents");
    for args in scanning_commands() {
        let (drawn, ok) = on_a_terminal(&ws, &args);
        assert!(ok, "{args:?}: {drawn}");
        assert!(drawn.contains(BAR), "{args:?} drew no bar: {drawn:?}");
        assert!(drawn.contains(RATE), "{args:?} drew no rate: {drawn:?}");
        // A pass over the whole index covers every document.
        assert!(
            drawn.contains(&format!("/{documents} {BAR}")),
            "{args:?}: no pass over all {documents} documents: {drawn:?}"
        );

        let mut quiet = args.clone();
        quiet.push("--quiet");
        let (drawn, ok) = on_a_terminal(&ws, &quiet);
        assert!(ok, "{quiet:?}: {drawn}");
        assert!(!drawn.contains(BAR), "{quiet:?} drew a bar: {drawn:?}");

        let piped = ws.cmd().args(&args).output().expect("run");
        assert!(piped.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&piped.stderr);
        assert!(!stderr.contains(BAR), "{args:?} in a pipe: {stderr}");
    }
}
