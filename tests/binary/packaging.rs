//! The packaging files agree with each other and with the binary: one application id for
//! the window, the desktop entry, the icon and the AppStream component (so that desktops
//! match the window to its entry), and every icon size the .deb installs exists and has
//! that size. The validators and the installed package are checked by
//! `tools/package-check.sh`.

use std::path::{Path, PathBuf};

use turnchat::APP_ID;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The width and height in a PNG's IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "{} is not a PNG",
        path.display()
    );
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

#[test]
fn the_desktop_entry_carries_the_app_id() {
    let path = root().join(format!("packaging/linux/{APP_ID}.desktop"));
    let entry = read(&path);
    let keys: Vec<&str> = entry.lines().collect();
    for wanted in [
        format!("Icon={APP_ID}"),
        format!("StartupWMClass={APP_ID}"),
        "Exec=turnchat".to_owned(),
        "Terminal=false".to_owned(),
    ] {
        assert!(
            keys.contains(&wanted.as_str()),
            "{} lacks {wanted}",
            path.display()
        );
    }
}

#[test]
fn the_metainfo_names_the_app_id_and_its_desktop_entry() {
    let path = root().join(format!("packaging/linux/{APP_ID}.metainfo.xml"));
    let meta = read(&path);
    assert!(meta.contains(&format!("<id>{APP_ID}</id>")), "{meta}");
    assert!(
        meta.contains(&format!(
            r#"<launchable type="desktop-id">{APP_ID}.desktop</launchable>"#
        )),
        "{meta}"
    );
    assert!(meta.contains("<binary>turnchat</binary>"), "{meta}");
}

#[test]
fn every_icon_size_exists_and_the_deb_installs_it_under_the_app_id() {
    let manifest = read(&root().join("Cargo.toml"));
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        let png = format!("assets/icons/png/turnchat-{size}.png");
        assert_eq!(png_size(&root().join(&png)), (size, size), "{png}");
        let asset = format!(
            r#"["{png}", "usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png", "644"]"#
        );
        assert!(
            manifest.contains(&asset),
            "Cargo.toml's deb assets lack {asset}"
        );
    }
    for asset in [
        format!(r#""usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg""#),
        format!(r#"["packaging/linux/{APP_ID}.desktop", "usr/share/applications/""#),
        format!(r#"["packaging/linux/{APP_ID}.metainfo.xml", "usr/share/metainfo/""#),
        r#"["target/release/turnchat", "usr/bin/", "755"]"#.to_owned(),
    ] {
        assert!(
            manifest.contains(&asset),
            "Cargo.toml's deb assets lack {asset}"
        );
    }
    assert!(root().join("assets/icons/turnchat.ico").is_file());
}
