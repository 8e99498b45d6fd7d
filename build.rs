//! Build script: when the *target* is Windows, embeds TurnChat's icon and version
//! information in turnchat.exe, so that Explorer, the taskbar and the Start menu show them.
//! Does nothing for any other target.
//!
//! The target is read from `CARGO_CFG_TARGET_OS` at build time, not with `#[cfg(windows)]`
//! (which describes the machine running this script): a Linux machine cross-building the
//! .exe must embed them too.
//!
//! The resources are a small hand-written script, `packaging/windows/turnchat.rc.in`,
//! compiled by the resource compiler of the target's own toolchain: `windres` from
//! binutils for the GNU target (Debian: `binutils-mingw-w64-x86-64`, which the GNU linker
//! already comes with) and `rc.exe` for MSVC (in every Visual Studio developer prompt).
//! This needs no build-dependency: a crate such as winresource would be compiled into
//! every Linux build (with a TOML parser) to run these same two tools.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/turnchat.ico");
    println!("cargo:rerun-if-changed=packaging/windows/turnchat.rc.in");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources();
    }
}

fn var(name: &str) -> String {
    env::var(name).unwrap_or_else(|_| panic!("Cargo did not set {name} for build.rs"))
}

fn windows_resources() {
    let manifest = PathBuf::from(var("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(var("OUT_DIR"));
    let template = manifest.join("packaging/windows/turnchat.rc.in");
    let template = std::fs::read_to_string(&template)
        .unwrap_or_else(|e| panic!("{} could not be read: {e}", template.display()));
    // Resource scripts treat backslashes as escapes; both compilers accept forward slashes.
    let icon = manifest.join("assets/icons/turnchat.ico");
    let icon = icon.to_string_lossy().replace('\\', "/");
    let version = var("CARGO_PKG_VERSION");
    let commas = format!(
        "{},{},{},0",
        var("CARGO_PKG_VERSION_MAJOR"),
        var("CARGO_PKG_VERSION_MINOR"),
        var("CARGO_PKG_VERSION_PATCH")
    );
    let script = template
        .replace("@ICON@", &icon)
        .replace("@VERSION_COMMAS@", &commas)
        .replace("@VERSION@", &version);
    let rc = out.join("turnchat.rc");
    std::fs::write(&rc, script)
        .unwrap_or_else(|e| panic!("{} could not be written: {e}", rc.display()));

    let compiled = if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
        let res = out.join("turnchat.res");
        run(
            Command::new("rc.exe")
                .arg("/nologo")
                .arg("/fo")
                .arg(&res)
                .arg(&rc),
            "rc.exe (run the build from a Visual Studio developer prompt)",
        );
        res
    } else {
        let obj = out.join("turnchat-resources.o");
        let windres = windres();
        run(
            Command::new(&windres)
                .args(["--input-format=rc", "--output-format=coff", "-o"])
                .arg(&obj)
                .arg(&rc),
            &format!("{windres} (Debian: apt-get install binutils-mingw-w64-x86-64)"),
        );
        obj
    };
    // Given to the linker as a file of its own, the resources are always kept (an object
    // in a library would be dropped as unreferenced). Only the binary gets them.
    println!("cargo:rustc-link-arg-bins={}", compiled.display());
}

/// `$WINDRES`, else the cross tool named after the target (`x86_64-w64-mingw32-windres`)
/// when it exists, else plain `windres` (MSYS2 on Windows).
fn windres() -> String {
    if let Ok(tool) = env::var("WINDRES") {
        return tool;
    }
    let cross = format!("{}-w64-mingw32-windres", var("CARGO_CFG_TARGET_ARCH"));
    let found = Command::new(&cross).arg("--version").output().is_ok();
    if found { cross } else { "windres".to_owned() }
}

fn run(command: &mut Command, tool: &str) {
    match command.status() {
        Ok(status) if status.success() => {}
        Ok(status) => panic!(
            "The icon and version information could not be embedded in turnchat.exe: {tool} failed ({status})."
        ),
        Err(e) => panic!(
            "The icon and version information could not be embedded in turnchat.exe: {tool} could not be run ({e})."
        ),
    }
}
