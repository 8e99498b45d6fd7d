//! Build script: on Windows, embeds TurnChat's icon and version information in the .exe
//! so that Explorer, the taskbar and the Start menu show them. Does nothing elsewhere.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/turnchat.ico");
    #[cfg(windows)]
    windows_resources();
}

#[cfg(windows)]
fn windows_resources() {
    // Only when the target is Windows too (a Windows host could cross-compile).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icons/turnchat.ico")
        .set("FileDescription", "TurnChat")
        .set("ProductName", "TurnChat")
        .set(
            "LegalCopyright",
            "Copyright 2026 The TurnChat developers (MIT)",
        );
    if let Err(e) = res.compile() {
        // A build script has no one to tell but Cargo; failing names the problem.
        panic!("The icon could not be embedded in turnchat.exe: {e}");
    }
}
